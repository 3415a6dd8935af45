from django.http import Http404


def index(request):
    raise Http404


subscribe = confirm = preferences = unsubscribe = lambda request, token=None: index(request)  # noqa: E731

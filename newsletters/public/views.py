"""The newsletters page and the forms anyone may send: signing up (``subscribe``) and asking for a new link
(``new_link``). Their answer is the same whether the address was known or not, so that they tell nobody who
subscribes; both are rate-limited per client (``limits``). The forms are shown on cached pages and carry no
CSRF token: a sign-up does nothing until the address's owner opens the link sent to it (double opt-in)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from newsletters import signup
from newsletters.models import Newsletter
from newsletters.public import limits
from newsletters.public.forms import AddressForm, SignupForm, site_path
from newsletters.public.offer import open_lists
from pagecache.middleware import READER_METHODS


def index(request):
    """The open lists, the sign-up form and the form asking for a new link (cached for readers)."""
    return _index(request, SignupForm(), AddressForm(prefix="link"))


def _index(request, form, link_form, status=200):
    source = site_path(form.data.get("source")) if form.is_bound else reverse("newsletters:index")
    context = {"lists": open_lists(), "form": form, "link_form": link_form, "source": source}
    return render(request, "newsletters/index.html", context, status=status)


def _not_allowed(request):
    response = render(request, "405.html", {"allowed": "POST"}, status=405)
    response["Allow"] = "GET, HEAD, POST"
    return response


def _posted(view):
    """A form's endpoint: POST is the form, GET and HEAD lead to the newsletters page, anything else is a 405.
    Nothing it answers is kept by a cache."""

    def wrapped(request):
        if request.method in READER_METHODS:
            response = redirect("newsletters:index")
        elif request.method != "POST":
            response = _not_allowed(request)
        else:
            response = limits.refused(request) or view(request)
        add_never_cache_headers(response)
        return response

    wrapped.__doc__, wrapped.__name__ = view.__doc__, view.__name__
    return csrf_exempt(wrapped)


@_posted
def subscribe(request):
    """``signup.ask`` for the address and the lists ticked, the page the form was on as the consent's source.
    A bad address or no list: the form again with the reason (400), the address as typed."""
    form = SignupForm(request.POST)
    if form.is_valid():
        chosen = list(Newsletter.objects.open().filter(pk__in=form.cleaned_data["list"]))
        try:
            signup.ask(form.cleaned_data["address"], chosen, source=form.cleaned_data["source"])
        except signup.BadAddress as error:
            form.add_error("list", str(error))
        else:
            return render(request, "newsletters/check_inbox.html", {"noindex": True})
    return _index(request, form, AddressForm(prefix="link"), status=400)


@_posted
def new_link(request):
    """``signup.ask_for_link``: a known address is sent a fresh preferences link; the answer says the same
    whatever the address."""
    form = AddressForm(request.POST, prefix="link")
    if not form.is_valid():
        return render(request, "newsletters/new_link.html", {"link_form": form, "noindex": True}, status=400)
    signup.ask_for_link(form.cleaned_data["address"])
    return render(request, "newsletters/link_sent.html", {"noindex": True})

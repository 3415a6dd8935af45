"""The desk's answer to an e-mail that was not sent: send it again, or dismiss it."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import notify
from .desk import undelivered_mail


@require_POST
def act(request, pk):
    """Only someone the desk shows the e-mail to may act on it (editors, the article's writers)."""
    undelivered = get_object_or_404(undelivered_mail(request.user), pk=pk)
    action = request.POST.get("action")
    if action == "dismiss":
        undelivered.delete()
        messages.success(request, f"Dismissed: “{undelivered.subject}”.")
    elif action == "resend":
        if notify.send_again(undelivered):
            messages.success(request, f"Sent: “{undelivered.subject}”.")
        else:
            messages.error(request, f"Still not sent: {undelivered.error}")
    else:
        raise Http404("Say resend or dismiss.")
    return HttpResponseRedirect(reverse("admin:index"))

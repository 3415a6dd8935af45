"""The desk's answer to an e-mail that was not sent: send it again, or dismiss it."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.desk import notify
from articles.desk.dashboard import undelivered_mail
from articles.models import UndeliveredMail


@require_POST
def act(request, pk):
    """Only someone the desk shows the e-mail to may act on it (editors, the article's writers)."""
    action = request.POST.get("action")
    undelivered = undelivered_mail(request.user).filter(pk=pk).first()
    if undelivered is None:
        if UndeliveredMail.objects.filter(pk=pk).exists():
            raise Http404("No such e-mail on your desk.")
        # A second press, or a colleague who was quicker: what was asked is done.
        messages.info(request, "That e-mail was already sent or dismissed.")
        return HttpResponseRedirect(reverse("admin:index"))
    if action == "dismiss":
        undelivered.delete()
        messages.success(request, f"Dismissed: “{undelivered.subject}”.")
    elif action == "resend":
        sent = notify.send_again(undelivered)
        if sent:
            messages.success(request, f"Sent: “{undelivered.subject}”.")
        elif sent is None:
            messages.info(request, f"Someone is sending it right now (or has): “{undelivered.subject}”.")
        else:
            messages.error(request, f"Still not sent: {undelivered.error}")
    else:
        raise Http404("Say resend or dismiss.")
    return HttpResponseRedirect(reverse("admin:index"))

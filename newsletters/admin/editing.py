"""The sending panel of an issue's change page and the views its buttons post to. Each view checks the user's
permission itself: anyone who may see issues sees their previews; only those who may change issues (the
editors) send a test, schedule, send, pause, resume, cancel or duplicate. Every refusal of ``sending``
(``NotSendable``) is shown to the editor as it is worded."""

import email.message
import email.policy
from dataclasses import replace

from csp.decorators import csp, csp_update
from django import forms
from django.contrib import admin
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from articles.desk.sending import send_within
from newsletters import envelope, messages, sending, smtp
from newsletters.models import Delivery, Edition, EditionArticle, Subscriber

Status = Edition.Status
PROBLEMS_PER_PAGE = 50
STARTED = (Status.SENDING, Status.PAUSED, Status.SENT)
TEST_ADDRESS = "subscriber@example.com"  # shown in a preview where each subscriber's own address goes
# The message in the preview's frame: its own inline styles and pictures from anywhere, never a script.
MESSAGE_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["https:", "http:", "data:"],
    "frame-ancestors": ["'self'"],
}


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In the site's time zone.",
    )


def may_send(user):
    return user.has_perm("newsletters.change_edition")


def _edition(request, pk, *, send=False):
    if not request.user.has_perm("newsletters.view_edition") or (send and not may_send(request.user)):
        raise PermissionDenied
    return get_object_or_404(Edition.objects.select_related("newsletter"), pk=pk)


def page(request, template, context):
    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})


def change_url(edition):
    return reverse("admin:newsletters_edition_change", args=[edition.pk])


def rendered(edition):
    """The message as it was sent once sending started, else as it would be sent now."""
    if edition.status in STARTED and edition.html:
        return messages.Rendered(edition.subject, edition.html, edition.text, list(edition.rendered_articles))
    since = messages.digest_since(edition) if edition.mode == Edition.Mode.DIGEST else None
    return messages.render(edition, since=since)


def harmless(text):
    """``text`` with each subscriber's links as "#" and their address as an example's."""
    for marker in (messages.PREFERENCES_URL, messages.UNSUBSCRIBE_URL):
        text = text.replace(marker, "#")
    return text.replace(messages.ADDRESS, TEST_ADDRESS)


def problem_rows(request, edition):
    failed = Delivery.objects.filter(edition=edition, status__in=[Delivery.Status.FAILED, Delivery.Status.BOUNCED])
    failed = failed.select_related("subscriber").order_by("subscriber__email", "pk")
    return Paginator(failed, PROBLEMS_PER_PAGE).get_page(request.GET.get("problems"))


def panel(request, edition):
    """What the change page shows of ``edition``'s sending, and the buttons the user may press now."""
    status = edition.status
    context = {
        "edition": edition,
        "may_send": may_send(request.user),
        "problems": sending.problems(edition) if status in (Status.DRAFT, Status.SCHEDULED) else [],
        "left_out": messages.left_out(edition) if status in (Status.DRAFT, Status.SCHEDULED) else [],
        "schedule_form": ScheduleForm(
            initial={"send_at": edition.send_at or timezone.localtime().replace(second=0, microsecond=0)},
            auto_id="id_schedule_%s",
        ),
        "urls": {
            name: reverse(f"admin:newsletters_edition_{name}", args=[edition.pk])
            for name in ("preview", "preview_text", "test", "send", "act", "duplicate")
        },  # fmt: skip
        "can": {
            "schedule": status in (Status.DRAFT, Status.SCHEDULED),
            "unschedule": status == Status.SCHEDULED,
            "send": status in (Status.DRAFT, Status.SCHEDULED),
            "pause": status in (Status.QUEUED, Status.SENDING),
            "resume": status == Status.PAUSED,
            "cancel": status in (Status.DRAFT, Status.SCHEDULED, Status.QUEUED, Status.PAUSED),
        },
        "own_address": request.user.email,
    }
    if status not in (Status.DRAFT, Status.SCHEDULED, Status.QUEUED) or edition.started_at:
        counts = sending.progress(edition)
        context["progress"] = counts
        context["failed_page"] = problem_rows(request, edition)
        context["waiting"] = counts[Delivery.Status.QUEUED] + counts[Delivery.Status.DEFERRED]
    return context


@csp_update({"frame-src": ["'self'"]})
def preview(request, pk):
    edition = _edition(request, pk)
    return page(request, "admin/newsletters/edition/preview.html", {
        "title": f"Preview: {edition.subject}",
        "edition": edition,
        "opts": Edition._meta,
        "left_out": messages.left_out(edition) if edition.status not in STARTED else [],
        "message_url": reverse("admin:newsletters_edition_preview_message", args=[edition.pk]),
        "text_url": reverse("admin:newsletters_edition_preview_text", args=[edition.pk]),
        "change_url": change_url(edition),
    })  # fmt: skip


@xframe_options_sameorigin
@csp(MESSAGE_POLICY)
def preview_message(request, pk):
    edition = _edition(request, pk)
    return HttpResponse(harmless(rendered(edition).html), content_type="text/html; charset=utf-8")


def preview_text(request, pk):
    edition = _edition(request, pk)
    return page(request, "admin/newsletters/edition/preview_text.html", {
        "title": f"Plain text: {edition.subject}",
        "edition": edition,
        "opts": Edition._meta,
        "text": harmless(rendered(edition).text),
        "preview_url": reverse("admin:newsletters_edition_preview", args=[edition.pk]),
        "change_url": change_url(edition),
    })  # fmt: skip


class ExactBytes(email.message.EmailMessage):
    """A message parsed from the envelope's bytes that gives back those bytes, every line ended by CRLF as
    ``newsletters.smtp`` sends them, in the form Django's SMTP backend asks for (``as_bytes(linesep=...)``,
    which ``envelope.RawMessage``'s parsed copy refuses)."""

    data = b""

    def as_bytes(self, unixfrom=False, policy=None, linesep=None):
        return smtp.LINE_ENDS.sub(b"\r\n", self.data)


class TestMessage(envelope.RawMessage):
    def message(self, *args, **kwargs):
        parsed = email.message_from_bytes(self.data, _class=ExactBytes, policy=email.policy.SMTP)
        parsed.data = self.data
        return parsed


def test_message(edition, address):
    """The issue as a subscriber at ``address`` would get it, through the real envelope, its subject marked as a
    test. The subscriber is not saved (key 0): its links open nothing."""
    shown = rendered(edition)
    shown = replace(shown, subject=f"[Test] {shown.subject}")
    letter = envelope.Envelope(edition, shown)
    reader = Subscriber(email=address, pk=0, key="test")
    message = TestMessage(letter.message(reader), to=address)
    message.from_email = letter.sender
    return message


@require_POST
def send_test(request, pk):
    edition = _edition(request, pk, send=True)
    address = request.user.email
    if not address:
        flash.error(request, "Your account has no e-mail address to send a test to: add one to your account first.")
        return redirect(change_url(edition))
    (outcome,) = send_within([test_message(edition, address)])
    if outcome is None:
        flash.success(request, f"A test of “{edition.subject}” was sent to {address}.")
    else:
        flash.error(request, f"The test was not sent to {address}: {outcome}")
    return redirect(change_url(edition))


def send_now(request, pk):
    """A confirmation naming the list and how many it goes to; its POST queues the issue."""
    edition = _edition(request, pk, send=True)
    if request.method == "POST":
        try:
            with transaction.atomic():
                sending.queue(edition)
        except sending.NotSendable as error:
            flash.error(request, str(error))
        else:
            flash.success(request, f"“{edition.subject}” is on its way to {edition.newsletter}.")
        return redirect(change_url(edition))
    audience = sending.audience(edition.newsletter_id, timezone.now()).count()
    return page(request, "admin/newsletters/edition/send.html", {
        "title": f"Send “{edition.subject}” now?",
        "edition": edition,
        "opts": Edition._meta,
        "audience": audience,
        "problems": sending.problems(edition) if edition.status in (Status.DRAFT, Status.SCHEDULED) else [],
        "left_out": messages.left_out(edition),
        "change_url": change_url(edition),
    })  # fmt: skip


ACTIONS = {
    "unschedule": (sending.unschedule, "It is a draft again."),
    "pause": (sending.pause, "Sending is paused."),
    "resume": (sending.resume, "Sending resumes."),
    "cancel": (sending.cancel, "The issue is cancelled."),
}


@require_POST
def act(request, pk):
    edition = _edition(request, pk, send=True)
    action = request.POST.get("action", "")
    try:
        with transaction.atomic():
            if action == "schedule":
                form = ScheduleForm(request.POST, auto_id="id_schedule_%s")
                if not form.is_valid():
                    raise sending.NotSendable("Give the date and time to send it at.")
                sending.schedule(edition, form.cleaned_data["send_at"])
                done = f"It is scheduled for {timezone.localtime(edition.send_at):%d %b %Y, %H:%M %Z}."
            elif action in ACTIONS:
                function, done = ACTIONS[action]
                function(edition)
            else:
                raise sending.NotSendable("That is not something an issue can do.")
    except sending.NotSendable as error:
        flash.error(request, str(error))
    else:
        flash.success(request, done)
    return redirect(change_url(edition))


@require_POST
def duplicate(request, pk):
    edition = _edition(request, pk)
    if not request.user.has_perm("newsletters.add_edition"):
        raise PermissionDenied
    with transaction.atomic():
        copy = Edition.objects.create(
            newsletter=edition.newsletter, subject=edition.subject, preheader=edition.preheader,
            intro=edition.intro, mode=edition.mode, created_by=request.user,
        )  # fmt: skip
        EditionArticle.objects.bulk_create(
            EditionArticle(edition=copy, article_id=entry.article_id, position=entry.position)
            for entry in edition.entries.all()
        )
    flash.success(request, f"This is a new draft made from “{edition.subject}”: change it and send it.")
    return redirect(change_url(copy))

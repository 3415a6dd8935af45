"""E-mail to the people an editorial step concerns, through Django's e-mail backend.

Who hears of what: a submission goes to the article's assigned editor, or to every editor when nobody is
assigned; sending back, scheduling and publishing go to the article's writers (who started it or are credited);
an assignment goes to the new assignee, however it was made. Steps and assignments arrive as signals sent once
the change is committed (``signals.py``): a change rolled back tells nobody. Nobody is told of their own action,
and anyone can opt out (``DeskPreferences``).

The messages are written and sent by a worker of the job queue (``articles.tasks.notify``, queued after the
commit), so a slow mail server never slows a save; when the queue does not take the job (its broker down), they
are sent from here as before, within ``sending.send_within``'s time, so none is lost. A mail that cannot be sent
never undoes or blocks the change: it is logged and kept (``UndeliveredMail``), and the desk shows it to editors
and to the article's writers until someone sends it again or dismisses it.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.desk import sending
from articles.models import Article, DeskPreferences, SiteSettings, UndeliveredMail, one_line, states
from newsroom import jobs

logger = logging.getLogger("newsroom.notify")

TASK = "articles.tasks.notify"

SUBJECTS = {
    "submit": "Submitted for review",
    "send_back": "Sent back to draft",
    "publish": "Published",
    "schedule": "Scheduled",
    "assign": "Assigned to you",
}


def editors():
    """Active staff who may publish: the people who review."""
    User = get_user_model()
    permission = Permission.objects.filter(codename="publish_article", content_type__app_label="articles").first()
    may_publish = Q(is_superuser=True)
    if permission is not None:
        may_publish |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(may_publish)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def writers(article):
    """Who started the article and the people with a login credited on it: those it is owned by."""
    return list(get_user_model().objects.filter(states.owners_of(article), is_active=True))


def recipients(article, action, actor):
    if action == "submit":
        people = [article.assignee] if article.assignee_id and article.assignee.is_active else list(editors())
    elif action == "assign":
        people = [article.assignee] if article.assignee_id else []
    else:
        people = writers(article)
    people = [person for person in people if actor is None or person.pk != actor.pk]
    return DeskPreferences.wants_email(people)


def message(article, action, actor, person, comment=""):
    site = SiteSettings.current()
    # One line whatever the rows hold (rows saved before single-line fields were folded): a line break in a
    # header would make Django refuse the message.
    subject = one_line(f"[{site.name}] {SUBJECTS[action]}: {article.title}")
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else "The newsroom"
    lines = [f"Hello {person.get_full_name() or person.get_username()},", ""]
    if action == "assign":
        lines.append(f"{who} assigned “{article.title}” to you for review.")
    else:
        lines.append(f"{who}: {SUBJECTS[action].lower()} — “{article.title}”.")
    if comment.strip():
        lines += ["", "Their note:", comment.strip()]
    lines += [
        "",
        "Open it in the admin:",
        site.absolute(reverse("admin:articles_article_change", args=[article.pk])),
        "",
        "You receive this because the article concerns you. To stop these e-mails, untick the box here:",
        site.absolute(reverse("admin:desk_preferences")),
    ]
    return EmailMessage(subject, "\n".join(lines), to=[person.email])


def send(article_pk, action, actor, comment=""):
    """Tell the people concerned, once the current transaction commits: a worker does (``tell``), or this process
    when the queue does not take the job. ``actor`` is None for a script."""
    actor_pk = actor.pk if actor is not None else None

    def queue():
        if not jobs.send(TASK, article_pk, action, actor_pk, comment):
            tell(article_pk, action, actor_pk, comment)

    transaction.on_commit(queue)


def tell(article_pk, action, actor_pk, comment=""):
    """Write the messages of ``action`` on the article from the rows as they are now, and send them."""
    article = Article.objects.select_related("assignee").filter(pk=article_pk).first()
    if article is None:
        return
    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk is not None else None
    try:
        outgoing = [message(article, action, actor, p, comment) for p in recipients(article, action, actor)]
    except Exception:  # a mail that cannot even be written never undoes an editorial step
        logger.exception("could not write the %s e-mail for article %s", action, article_pk)
        return
    deliver_all(outgoing, article=article, action=action)


def tell_of_step(sender, article_pk, action, actor, comment="", **kwargs):
    """Receiver of ``signals.article_transitioned``: the steps people are told of are those with a subject."""
    if action in SUBJECTS:
        send(article_pk, action, actor, comment)


def tell_assignee(sender, article_pk, actor, **kwargs):
    """Receiver of ``signals.article_assigned``, however the article was assigned (the admin, a script)."""
    send(article_pk, "assign", actor)


def deliver_all(outgoing, *, article=None, action=""):
    """Send each message over one connection, within the time ``sending.send_within`` allows, and keep each one
    that fails, with the reason."""
    for email, error in zip(outgoing, sending.send_within(outgoing), strict=True):
        if error is not None:
            logger.error(
                "could not send the %s e-mail for article %s", action, getattr(article, "pk", None), exc_info=error
            )
            keep_undelivered(email, error, article=article, action=action)


def reason(error):
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def keep_undelivered(email, error, *, article=None, action=""):
    """Record a message that was not sent, for the desk; a database that fails too is only logged."""
    try:
        UndeliveredMail.objects.create(
            article=article, action=action, to="\n".join(email.to), subject=email.subject, body=email.body,
            error=reason(error), failed_at=timezone.now(),
        )  # fmt: skip
    except DatabaseError:
        logger.exception("could not record the undelivered e-mail %r", email.subject)


# How long a press of "Send again" holds a kept message: past it, a claim whose sender died is taken over.
CLAIM = timedelta(minutes=2)


def send_again(undelivered):
    """Send a kept message again: True when it went (the record is then gone), False when it failed again (the
    record says why now), None when someone else is sending it or has sent or dismissed it. Whoever claims the
    record first sends; the claim is one conditional update, so two presses at once send one message."""
    now = timezone.now()
    free = Q(sending_since__isnull=True) | Q(sending_since__lt=now - CLAIM)
    if not UndeliveredMail.objects.filter(free, pk=undelivered.pk).update(sending_since=now):
        return None
    email = EmailMessage(undelivered.subject, undelivered.body, to=undelivered.recipients)
    (error,) = sending.send_within([email])
    if error is not None:
        logger.error("could not send again the undelivered e-mail %s", undelivered.pk, exc_info=error)
        undelivered.error, undelivered.failed_at = reason(error), timezone.now()
        UndeliveredMail.objects.filter(pk=undelivered.pk).update(
            error=undelivered.error, failed_at=undelivered.failed_at, attempts=F("attempts") + 1, sending_since=None
        )
        return False
    UndeliveredMail.objects.filter(pk=undelivered.pk).delete()
    return True

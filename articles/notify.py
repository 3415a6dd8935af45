"""E-mail to the people an editorial step concerns, through Django's e-mail backend.

Who hears of what: a submission goes to the article's assigned editor, or to every editor when nobody is
assigned; sending back, scheduling and publishing go to the article's writers (who started it or are credited);
an assignment goes to the new assignee. Nobody is told of their own action, and anyone can opt out
(``DeskPreferences``). Mail is sent once the change is committed; a mail server that fails is logged and never
undoes or blocks the change.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from .identity import identity
from .models import Article, DeskPreferences

logger = logging.getLogger("newsroom.notify")

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
    """Who started the article and the people with a login credited on it."""
    User = get_user_model()
    return list(
        User.objects.filter(
            Q(pk=article.created_by_id) | Q(author__bylines__article=article), is_active=True
        ).distinct()
    )


def recipients(article, action, actor):
    if action == "submit":
        people = [article.assignee] if article.assignee_id and article.assignee.is_active else list(editors())
    elif action == "assign":
        people = [article.assignee] if article.assignee_id else []
    else:
        people = writers(article)
    people = [person for person in people if person.pk != actor.pk]
    return DeskPreferences.wants_email(people)


def _absolute(path):
    return identity().public_url.rstrip("/") + path


def message(article, action, actor, person, comment=""):
    site = identity().name
    subject = f"[{site}] {SUBJECTS[action]}: {article.title}"
    who = actor.get_full_name() or actor.get_username()
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
        _absolute(reverse("admin:articles_article_change", args=[article.pk])),
        "",
        "You receive this because the article concerns you. To stop these e-mails, untick the box here:",
        _absolute(reverse("admin:desk_preferences")),
    ]
    return EmailMessage(subject, "\n".join(lines), to=[person.email])


def send(article_pk, action, actor, comment=""):
    """Tell the people concerned, once the current transaction commits."""

    def deliver():
        article = Article.objects.select_related("assignee").filter(pk=article_pk).first()
        if article is None:
            return
        try:
            people = recipients(article, action, actor)
            if people:
                get_connection().send_messages([message(article, action, actor, p, comment) for p in people])
        except Exception:  # a mail server down never undoes an editorial step
            logger.exception("could not send the %s e-mail for article %s", action, article_pk)

    transaction.on_commit(deliver)

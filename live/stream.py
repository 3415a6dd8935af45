"""Writing a stream: posting, editing, deleting and approving updates, the only way updates change.

Each write is one transaction that locks the stream's row first, so two people posting at once are put in
order rather than one overwriting the other: the change gets the stream's next position (``Update.seq``, which
pollers ask "what is newer than"), the update its next version (an edit made from an older version is refused
with ``StaleUpdate``, never applied over the newer one), and a revision records it. The stream's counters
change with it, and once it commits its pages are retired in the page cache (``tokens``) and at the edge (the
stream's surrogate key: soft while the update is shown, hard when it stops being shown).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

import edge
from articles.markup import markdown
from articles.models import Article, Author
from articles.models import surrogates as names
from articles.models.site import site_host
from articles.models.text import one_line
from live import rules, tokens
from live.models import Stream, Update, UpdateRevision, time_problem

EDITABLE = ("headline", "body", "posted_at", "key_event", "pinned", "correction")


class StaleUpdate(Exception):
    """The update was changed by someone else after this version of it was read; nothing was overwritten."""

    def __init__(self, update, version):
        self.update, self.version = update, version
        super().__init__(
            f"This update was changed by someone else (now version {update.version}; you had version {version}); "
            "nothing was overwritten. Reload it to see their change."
        )


def _stream(article_pk):
    """The article's stream row, locked until the transaction ends, and the article as it stands now (its
    address and whether writers' updates wait for approval may have changed since the caller read it)."""
    Stream.objects.get_or_create(article_id=article_pk)
    stream = Stream.objects.select_for_update().get(pk=article_pk)
    return stream, Article.objects.get(pk=article_pk)


def _text(errors, values, name, *, required=False):
    value = values[name]
    if value is None and not required:
        value = ""
    if not isinstance(value, str):
        errors[name] = "Must be text."
        return
    value = value.replace("\x00", "")
    values[name] = (one_line(value) if name == "headline" else value).strip()
    if required and not values[name]:
        errors[name] = "An update needs some text."


def _cleaned(values):
    """The update's fields in their stored form, checked, with every problem named; raises ValidationError."""
    values, errors = dict(values), {}
    for name in ("headline", "correction", "body"):
        if name in values:
            _text(errors, values, name, required=name == "body")
    for name in ("key_event", "pinned"):
        if name in values:
            values[name] = bool(values[name])
    if "posted_at" in values:
        posted_at = values["posted_at"]
        if not isinstance(posted_at, datetime) or timezone.is_naive(posted_at):
            errors["posted_at"] = "An update needs a time, with its time zone."
        elif problem := time_problem(posted_at):
            errors["posted_at"] = problem
    if errors:
        raise ValidationError(errors)
    return values


def _render(update):
    update.body_html = markdown.render_markdown(update.body, site_host=site_host())


def _revise(update, user):
    names = [author.name for author in update.authors.all()]
    UpdateRevision.of(update, names, saved_by=user if user and user.pk else None).save()


def _counted(update):
    return (int(update.is_shown), int(update.is_shown and update.key_event))


def _record(stream, update, before, now):
    """Count the change in the stream and, when readers see it (the update is or was shown), have its pages
    retired once it commits: soft while it is shown, hard when it stops being shown."""
    shown, key = _counted(update)
    stream.shown_count += shown - before[0]
    stream.key_count += key - before[1]
    stream.changed_at = now
    if shown or before[0]:
        latest = Update.objects.filter(article_id=stream.pk).shown().aggregate(latest=Max("posted_at"))["latest"]
        stream.last_posted_at = latest
    stream.save()
    if not (shown or before[0]):
        return  # a change to an update no reader sees: no page changes
    tokens.advance(stream.pk)
    keys = {names.stream(stream.pk)}
    edge.gather(edge.hard(keys) if before[0] and not shown else keys)


def _next(stream):
    stream.seq += 1
    return stream.seq


def _authors_of(user, authors, article):
    """Who an update credits: those chosen; else the poster, when they write as an author; else the live page's
    own bylines (an editor posting a reporter's line from the scene)."""
    if authors:
        return list(authors)
    own = Author.objects.filter(user=user).first() if user and user.pk else None
    if own:
        return [own]
    return list(Author.objects.filter(bylines__article=article).order_by("bylines__position"))


def post(article, user, *, body, headline="", authors=(), key_event=False, pinned=False, posted_at=None):
    """A new update on ``article``'s stream, shown at once or held for an editor (``rules.needs_approval``)."""
    now = timezone.now()
    values = _cleaned({"body": body, "headline": headline, "key_event": key_event, "pinned": pinned,
                       "posted_at": posted_at or now})  # fmt: skip
    with transaction.atomic():
        stream, article = _stream(article.pk)
        if not rules.may_post(user, article):
            raise PermissionDenied("You may not post to this live page.")
        status = Update.Status.PENDING if rules.needs_approval(user, article) else Update.Status.PUBLISHED
        update = Update(article=article, status=status, created_by=user if user.pk else None, **values)
        update.full_clean(exclude=["seq", "version", "created_by"])
        update.seq = _next(stream)
        _render(update)
        update.save()
        update.authors.set(_authors_of(user, authors, article))
        _revise(update, user)
        _record(stream, update, (0, 0), now)
    return update


def _locked(update):
    """The stream and the update, locked, as they stand now."""
    stream, article = _stream(update.article_id)
    current = Update.objects.select_for_update(of=("self",)).get(pk=update.pk)
    current.article = article
    return stream, current


def edit(update, user, *, version, authors=None, **values):
    """Change ``update`` as of ``version`` (the version the editor read); raises StaleUpdate if it moved on."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Not a field of an update: {', '.join(sorted(unknown))}.")
    values = _cleaned(values)
    now = timezone.now()
    with transaction.atomic():
        stream, current = _locked(update)
        if not rules.may_change(user, current):
            raise PermissionDenied("You may not change this update.")
        if current.deleted_at is not None:
            raise ValidationError("This update was deleted; it cannot be changed.")
        if current.version != version:
            raise StaleUpdate(current, version)
        before = _counted(current)
        changed = {name for name, value in values.items() if getattr(current, name) != value}
        for name, value in values.items():
            setattr(current, name, value)
        if authors is not None and set(authors) != set(current.authors.all()):
            changed.add("authors")
        if not changed:
            return current
        current.full_clean(exclude=["seq", "version", "created_by"])
        if "body" in changed:
            _render(current)
        if current.is_shown and changed & {"headline", "body", "correction", "authors"}:
            current.edited_at = now
        current.version += 1
        current.seq = _next(stream)
        current.save()
        if authors is not None:
            current.authors.set(authors)
        _revise(current, user)
        _record(stream, current, before, now)
    return current


def approve(update, user, *, version):
    """An editor lets a writer's update be shown."""
    if not rules.is_editor(user):
        raise PermissionDenied("Only an editor may approve an update.")
    with transaction.atomic():
        stream, current = _locked(update)
        if current.version != version:
            raise StaleUpdate(current, version)
        if current.status == Update.Status.PUBLISHED or current.deleted_at is not None:
            return current
        before = _counted(current)
        current.status = Update.Status.PUBLISHED
        current.version += 1
        current.seq = _next(stream)
        current.save()
        _revise(current, user)
        _record(stream, current, before, timezone.now())
    return current


def delete(update, user, *, version):
    """Take ``update`` off every surface at once; its revisions stay."""
    now = timezone.now()
    with transaction.atomic():
        stream, current = _locked(update)
        if not rules.may_delete(user, current):
            raise PermissionDenied("You may not delete this update.")
        if current.deleted_at is not None:
            return current
        if current.version != version:
            raise StaleUpdate(current, version)
        before = _counted(current)
        current.deleted_at = now
        current.version += 1
        current.seq = _next(stream)
        current.save()
        _revise(current, user)
        _record(stream, current, before, now)
    return current

"""Writing a stream: posting, editing, deleting and approving updates, the only way updates change.

Each write is one transaction that locks the stream's row first, so two people posting at once are put in
order rather than one overwriting the other: the change gets the stream's next position (``Update.seq``, which
pollers ask "what is newer than"), the update its next version (an edit made from an older version is refused
with ``StaleUpdate``, never applied over the newer one), and a revision records it. The stream's counters
change with it, and once it commits its pages are retired in the page cache (``tokens``) and at the edge (the
stream's surrogate key: soft while the update is shown, hard when it stops being shown).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

import edge
from articles.markup import markdown
from articles.models import Author
from articles.models import surrogates as names
from articles.models.site import site_host
from live import rules, tokens
from live.models import Stream, Update, UpdateRevision

EDITABLE = ("headline", "body", "posted_at", "key_event", "pinned", "correction")
FUTURE_GRACE_SECONDS = 60


class StaleUpdate(Exception):
    """The update was changed by someone else after this version of it was read; nothing was overwritten."""

    def __init__(self, update, version):
        self.update, self.version = update, version
        super().__init__(
            f"This update was changed by someone else (now version {update.version}; you had version {version}); "
            "nothing was overwritten. Reload it to see their change."
        )


def _stream(article):
    """The article's stream row, locked until the transaction ends."""
    Stream.objects.get_or_create(article_id=article.pk)
    return Stream.objects.select_for_update().get(pk=article.pk)


def _clean(values):
    """The update's fields checked, with every problem named; raises ValidationError."""
    errors = {}
    body = (values.get("body") or "").strip()
    if "body" in values and not body:
        errors["body"] = "An update needs some text."
    if "posted_at" in values:
        posted_at = values["posted_at"]
        if posted_at is None:
            errors["posted_at"] = "An update needs a time."
        elif (posted_at - timezone.now()).total_seconds() > FUTURE_GRACE_SECONDS:
            errors["posted_at"] = "An update's time cannot be in the future."
    if errors:
        raise ValidationError(errors)


def _render(update):
    update.body_html = markdown.render_markdown(update.body, site_host=site_host())


def _revise(update, user):
    UpdateRevision.objects.create(
        update=update,
        version=update.version,
        headline=update.headline,
        body=update.body,
        posted_at=update.posted_at,
        correction=update.correction,
        key_event=update.key_event,
        pinned=update.pinned,
        status=update.status,
        deleted=update.deleted_at is not None,
        authors=", ".join(author.name for author in update.authors.all()),
        saved_by=user if user and user.pk else None,
    )


def _counted(update):
    return (int(update.is_shown), int(update.is_shown and update.key_event))


def _record(stream, update, before, now):
    """Count the change in the stream and have its pages retired once it commits."""
    shown, key = _counted(update)
    stream.shown_count += shown - before[0]
    stream.key_count += key - before[1]
    stream.changed_at = now
    if update.is_shown and not before[0]:
        stream.last_posted_at = max(filter(None, (stream.last_posted_at, update.posted_at)))
    stream.save()
    article = update.article
    tokens.advance(article.slug)
    keys = {names.stream(article.pk)}
    edge.gather(edge.hard(keys) if before[0] and not update.is_shown else keys)


def _next(stream):
    stream.seq += 1
    return stream.seq


def _authors_of(user, authors):
    if authors:
        return list(authors)
    own = Author.objects.filter(user=user).first() if user and user.pk else None
    return [own] if own else []


def post(article, user, *, body, headline="", authors=(), key_event=False, pinned=False, posted_at=None):
    """A new update on ``article``'s stream, shown at once or held for an editor (``rules.needs_approval``)."""
    if not rules.may_post(user, article):
        raise PermissionDenied("You may not post to this live page.")
    now = timezone.now()
    values = {"body": body, "headline": (headline or "").strip(), "key_event": bool(key_event),
              "pinned": bool(pinned), "posted_at": posted_at or now}  # fmt: skip
    _clean(values)
    with transaction.atomic():
        stream = _stream(article)
        status = Update.Status.PENDING if rules.needs_approval(user, article) else Update.Status.PUBLISHED
        update = Update(article=article, status=status, created_by=user if user.pk else None, **values)
        update.full_clean(exclude=["seq", "version", "created_by"])
        update.seq = _next(stream)
        _render(update)
        update.save()
        update.authors.set(_authors_of(user, authors))
        _revise(update, user)
        _record(stream, update, (0, 0), now)
    return update


def _locked(update_pk, article):
    stream = _stream(article)
    return stream, Update.objects.select_for_update().select_related("article").get(pk=update_pk)


def edit(update, user, *, version, authors=None, **values):
    """Change ``update`` as of ``version`` (the version the editor read); raises StaleUpdate if it moved on."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Not a field of an update: {', '.join(sorted(unknown))}.")
    _clean(values)
    now = timezone.now()
    with transaction.atomic():
        stream, current = _locked(update.pk, update.article)
        if not rules.may_change(user, current):
            raise PermissionDenied("You may not change this update.")
        if current.deleted_at is not None:
            raise ValidationError("This update was deleted; it cannot be changed.")
        if current.version != version:
            raise StaleUpdate(current, version)
        before = _counted(current)
        changed = {name for name, value in values.items() if getattr(current, name) != value}
        for name, value in values.items():
            setattr(current, name, value.strip() if name == "headline" else value)
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
        stream, current = _locked(update.pk, update.article)
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
        stream, current = _locked(update.pk, update.article)
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

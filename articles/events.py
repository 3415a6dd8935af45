"""The events other software is told of (``ArticleEvent``): an article published, updated, corrected, withdrawn
or deleted as readers see it, logged after the change commits and then announced with ``signals.article_event``
(webhooks and WebSub pings listen; they are above the content, which names neither).

One rule decides every event: compare what readers see of the article now with what its last event told
(``reconcile``). A save or a correction asks for it once per transaction, after the commit; the clock's sweep
(``sweep``, a periodic job) asks for it for every article whose last event no longer says whether readers see
it (a publication, embargo end or expiry passed), since nothing is saved when the clock passes those moments.
Asking twice, or from two processes at once, logs one event: the second finds it told already, or its insert of
the same place in the article's sequence does nothing.

The log began with a baseline (migration 0022): every article readers could see then, as told already, so that
neither its next save nor the sweep announces it as a new publication.
"""

import hashlib
import json
import logging
from functools import partial

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import signals
from articles.models import Article, ArticleEvent, Byline, Correction, TaggedArticle, states

logger = logging.getLogger("newsroom.events")
Kind = ArticleEvent.Kind


# What readers see of an article besides the snapshot's own fields: a save changing none of them (an assignee, a
# note on the desk, a save with nothing changed) is no update.
SHOWN_FIELDS = ("dek", "body_html", "updated_at", "live_from", "live_until", "lead_image_id", "lead_image_url",
                "lead_image_alt", "lead_image_caption", "lead_image_credit")  # fmt: skip


def snapshot(article):
    """What an event records of ``article``: enough to name it and the lists it was in once it is gone, and a
    digest of everything else readers see of it (``SHOWN_FIELDS``, and its corrections as shown)."""
    from articles.models import SiteSettings

    data = {
        "slug": article.slug,
        "title": article.title,
        "url": SiteSettings.current().absolute(article.get_absolute_url()),
        "section": article.section.slug if article.section_id else None,
        "tags": sorted(article.tags.values_list("slug", flat=True)),
        "authors": sorted(article.bylines.values_list("author__slug", flat=True)),
        "published_at": article.published_at.isoformat() if article.published_at else None,
    }
    corrections = [list(row) for row in article.corrections.order_by("pk").values_list("pk", "kind", "text_html")]
    # Its corrections as shown (a digest of them, none without): the corrections feed changes with them.
    data["corrections"] = hashlib.sha256(json.dumps(corrections).encode()).hexdigest() if corrections else None
    # Its kind of work by slug, so a relabelling is an update; digested only when set, so that an article without
    # one digests as it did before articles had kinds, and its next save announces no update.
    kind = article.kind.slug if article.kind_id is not None else None
    digested = {**data, "kind": kind} if kind else data
    shown = json.dumps([digested, *(str(getattr(article, name)) for name in SHOWN_FIELDS)], sort_keys=True)
    return {**data, "kind": kind, "digest": hashlib.sha256(shown.encode()).hexdigest()}


# The snapshot's digests, for comparing one event with the next: not part of what other software is told.
DIGESTS = ("corrections", "digest")


def told(data):
    """What other software is told of an event's snapshot: all of it but the digests."""
    return {name: value for name, value in data.items() if name not in DIGESTS}


def reconcile(article_id, *, changed=False, corrected=False, now=None):
    """Log the event that tells what readers see of article ``article_id`` now, if any (see the module's
    docstring); returns it, or None. ``changed``: the article was saved; ``corrected``: a correction was added.
    When another process logs the article's next event first, the comparison is made again against it."""
    for _attempt in range(3):
        event = _next_event(article_id, changed, corrected, now or timezone.now())
        if event is None:
            return None
        try:
            with transaction.atomic():
                event.save(force_insert=True)
        except IntegrityError:
            # Another process took this place: compare with its event. What it told is found unchanged (the
            # digest); a change it did not see, made by this transaction, is still told.
            continue
        transaction.on_commit(partial(signals.article_event.send, sender=ArticleEvent, event=event), robust=True)
        return event
    return None


def _next_event(article_id, changed, corrected, now):
    last = ArticleEvent.objects.latest_of(article_id)
    told_live = last is not None and last.announced_live
    article = Article.objects.select_related("section", "kind").filter(pk=article_id).first()
    if article is None:
        kind, data = (Kind.DELETED, last.data) if told_live else (None, None)
    else:
        live = states.is_live(article, now)
        if live and not told_live:
            kind = Kind.PUBLISHED
        elif told_live and not live:
            kind = Kind.WITHDRAWN
        elif live and corrected:
            kind = Kind.CORRECTED
        elif live and changed:
            kind = Kind.UPDATED
        else:
            kind = None
        data = snapshot(article) if kind else None
        if kind == Kind.UPDATED and data["digest"] == last.data.get("digest"):
            return None  # nothing readers see has changed
    if kind is None:
        return None
    return ArticleEvent(kind=kind, article_id=article_id, seq=(last.seq + 1) if last else 1, happened_at=now,
                        data=data)  # fmt: skip


def _asked(connection):
    """The articles this transaction asked about so far, and whether each got a correction: a dict kept on the
    connection for as long as the transaction (its list of commit callbacks) is the same and not yet announced."""
    asked = getattr(connection, "_article_events", None)
    if asked is None or asked.commit_list is not connection.run_on_commit or asked.announced:
        asked = _Asked(connection.run_on_commit)
        transaction.on_commit(asked.announce, using=connection.alias, robust=True)
        connection._article_events = asked
    return asked


class _Asked(dict):
    def __init__(self, commit_list, asked=()):
        super().__init__(asked)
        self.commit_list, self.announced = commit_list, False

    def announce(self):
        self.announced = True
        for article_id, corrected in self.items():
            try:
                reconcile(article_id, changed=True, corrected=corrected)
            except Exception:  # a failure here must not turn a committed save into an error page
                logger.exception("The event of article %s could not be logged", article_id)


def ask(article_id, *, corrected=False, using=DEFAULT_DB_ALIAS):
    """After this transaction commits, log what changed for readers of ``article_id`` (once per transaction);
    outside a transaction (autocommit), the change has committed already: now."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _Asked(None, {article_id: corrected}).announce()
        return
    asked = _asked(connection)
    asked[article_id] = asked.get(article_id, False) or corrected


def article_saved(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        ask(instance.pk, using=using or DEFAULT_DB_ALIAS)


def article_deleted(sender, instance, using=None, **kwargs):
    ask(instance.pk, using=using or DEFAULT_DB_ALIAS)


def correction_saved(sender, instance, created=False, raw=False, using=None, **kwargs):
    if not raw:
        ask(instance.article_id, corrected=created, using=using or DEFAULT_DB_ALIAS)


def correction_deleted(sender, instance, using=None, **kwargs):
    ask(instance.article_id, using=using or DEFAULT_DB_ALIAS)


def credit_changed(sender, instance, raw=False, using=None, **kwargs):
    """A byline or a tag added to an article or taken off it (the article itself may not be saved)."""
    article_id = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    if not raw and article_id is not None:
        ask(article_id, using=using or DEFAULT_DB_ALIAS)


def connect():
    from django.db.models.signals import post_delete, post_save

    post_save.connect(article_saved, sender=Article, dispatch_uid="article-events-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="article-events-deleted")
    post_save.connect(correction_saved, sender=Correction, dispatch_uid="article-events-corrected")
    post_delete.connect(correction_deleted, sender=Correction, dispatch_uid="article-events-correction-deleted")
    for model in (Byline, TaggedArticle):
        post_save.connect(credit_changed, sender=model, dispatch_uid=f"article-events-{model.__name__}-saved")
        post_delete.connect(credit_changed, sender=model, dispatch_uid=f"article-events-{model.__name__}-deleted")


def sweep(now=None):
    """Log the events the clock made, however long ago: every article readers can see whose last event does not
    say so (its publication or embargo end reached), and every one they cannot see whose last event says they can
    (its expiry passed, or a save whose own logging failed). One query finds them, so a sweep costs nothing for
    each article already told of, and a sweep after a long stop catches up. Returns the events logged."""
    now = now or timezone.now()
    last_kind = ArticleEvent.objects.filter(article_id=OuterRef("pk")).order_by("-seq").values("kind")[:1]
    told_live = Q(told__in=ArticleEvent.LIVE_KINDS)
    live = states.live(now)
    candidates = (
        Article.objects.annotate(told=Coalesce(Subquery(last_kind), Value("")))
        .filter((live & ~told_live) | (~live & told_live))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    logged = []
    for pk in candidates.iterator():
        event = reconcile(pk, now=now)
        if event is not None:
            logged.append(event)
    return logged

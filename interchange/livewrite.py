"""A live page's imported updates written to its stream, keeping what ``live.stream`` keeps for every write.

The stream's row is locked first, so a post made while an import runs is put in order, not lost. An update is
found again by its id (the moment it was first written: ``Update.created_at``), so importing a file twice writes
nothing the second time. Each new or changed update takes the stream's next position (``seq``) and a new
version, with a revision saying so (saved by nobody: the import); its body was rendered by the one renderer
when the file was prepared. The stream's counters are counted again from its updates, and its pages are retired
in the page cache and at the edge once the import commits, as a post's are.

An update deleted in the newsroom stays deleted whatever a file says: a deletion is the newsroom's. Updates the
file does not have are left as they are: an import never deletes.
"""

from django.db.models import Max
from django.utils import timezone

import edge
from articles.models import surrogates as names
from live import tokens
from live.models import Stream, Update, UpdateRevision

COMPARED = ("headline", "body", "posted_at", "edited_at", "correction", "key_event", "pinned", "status")


def _revision(update, names_of_authors, now):
    return UpdateRevision.of(update, names_of_authors, saved_at=now)


def _same(update, found):
    return all(getattr(update, name) == found.fields[name] for name in COMPARED) and sorted(
        a.name.casefold() for a in update.authors.all()
    ) == sorted(name.casefold() for name in found.authors)


def recount(stream):
    """The stream's counters counted again from its updates (an import's, a restore's)."""
    shown = Update.objects.filter(article_id=stream.pk).shown()
    stream.shown_count = shown.count()
    stream.key_count = shown.filter(key_event=True).count()
    stream.last_posted_at = shown.aggregate(last=Max("posted_at"))["last"]


def store(article, updates, rows, notes):
    """Write the FileUpdates ``updates`` (in the order of their ids) to ``article``'s stream; ``rows``
    (NamedRows) gives the authors. Returns how many updates were written (0: the stream already said it all).
    Runs inside the import's transaction for the file."""
    if not updates:
        return 0
    now = timezone.now()
    Stream.objects.get_or_create(article_id=article.pk)
    stream = Stream.objects.select_for_update().get(pk=article.pk)
    existing = {
        update.created_at: update
        for update in Update.objects.filter(article=article, created_at__in=[u.key for u in updates]).prefetch_related(
            "authors"
        )
    }
    written, revisions, stopped_showing = [], [], False
    for found in updates:
        authors = [rows.author(name) for name in found.authors]
        update = existing.get(found.key)
        if update is not None and update.deleted_at is not None:
            notes.append(f"update {found.key.isoformat()} was deleted in the newsroom; left deleted")
            continue
        if update is not None and _same(update, found):
            continue
        stream.seq += 1
        if update is None:
            update = Update(article=article, seq=stream.seq, **found.fields)
            update.save()
            # Its id is the moment it was first written, wherever that was: set after the insert, which stamps it.
            Update.objects.filter(pk=update.pk).update(created_at=found.key)
            update.created_at = found.key
        else:
            stopped_showing |= update.is_shown and found.fields["status"] != Update.Status.PUBLISHED
            for name, value in found.fields.items():
                setattr(update, name, value)
            update.version, update.seq = update.version + 1, stream.seq
            update.save(update_fields=[*found.fields, "version", "seq"])
        update.authors.set(authors)
        written.append(update)
        revisions.append(_revision(update, [a.name for a in authors], now))
    if not written:
        return 0
    UpdateRevision.objects.bulk_create(revisions)
    recount(stream)
    stream.changed_at = now
    stream.save()
    tokens.advance(article.pk)
    keys = {names.stream(article.pk)}
    edge.gather(edge.hard(keys) if stopped_showing else keys)
    return len(written)

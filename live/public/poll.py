"""The poll endpoint: what changed lately on a live page's stream, as JSON, for the page's script.

Every reader polling a page asks the same address and gets the same answer, so the page cache (and the edge)
answers nearly all of them: the answer holds no reader's position, only the latest changes (``WINDOW``) and
the lowest position it covers (``complete_from``); the script picks out what is newer than what it shows.
A change to the stream replaces the stream's token (``live.tokens``), which retires this answer at once.
"""

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from articles.models import surrogates as names
from live.models import Stream, Update
from live.public import page
from pagecache.keys import tag

WINDOW = 50  # the changes one answer holds; a page further behind is told to reload


def missing(slug):
    """A 404 in JSON, tagged as every 404 is: a publication (or the page becoming live) can make it answer."""
    known = Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
    tag(names.MISSING, *([names.article(known)] if known is not None else []))
    return JsonResponse({"error": "There is no live page at this address."}, status=404)


def _change(update):
    if not update.is_shown:
        return {"id": update.pk, "seq": update.seq, "shown": False}  # a tombstone: nothing of its content
    return {
        "id": update.pk,
        "seq": update.seq,
        "shown": True,
        "pinned": update.pinned,
        "posted_at": update.posted_at.isoformat(),
        "html": render_to_string("live/_update.html", {"update": update}),
        "key_event": update.key_event,
        # Its entry in the key events' summary, as the page lists it (on the page: its anchor).
        **({"key_event_html": _key_event(update)} if update.key_event else {}),
    }


def _key_event(update):
    return render_to_string("live/_key_event.html", {"event": page.KeyEvent(update, f"#{update.anchor}")})


def updates(request, slug):
    """``{"seq", "shown_count", "per_page", "running", "order", "complete_from", "changes": [...]}``: the
    stream's position now, how many updates it shows (in pages of ``per_page``), whether coverage runs, the order
    the page shows it in, and its latest changes, newest change first. ``changes`` holds every change from
    position ``complete_from`` on: a page showing an older position must reload. A shown update says whether it
    is a key event and, when it is, its entry in the key events' summary (``key_event_html``)."""
    article = page.readable_page(slug)
    if article is None:
        return missing(slug)
    tag(names.article(article.pk), names.stream(article.pk))
    now = timezone.now()
    seq, shown_count = Stream.objects.filter(pk=article.pk).values_list("seq", "shown_count").first() or (0, 0)
    # Updates awaiting approval were never shown, and stay out: readers do not learn that one exists.
    changed = Update.objects.filter(article=article, status=Update.Status.PUBLISHED).changed_after(0)
    window = list(changed.prefetch_related("authors")[:WINDOW])
    complete_from = window[-1].seq if len(window) == WINDOW else 1
    return JsonResponse(
        {
            "seq": seq,
            "shown_count": shown_count,
            "per_page": page.PER_PAGE,
            "running": article.coverage_running(now),
            "order": "newest" if article.newest_first(now) else "oldest",
            "complete_from": complete_from,
            "changes": [_change(update) for update in window],
        }
    )

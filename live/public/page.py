"""What readers see of a live page on its article page, with no script: whether coverage runs, the key events,
the stream of shown updates in pages of ``PER_PAGE`` (pinned ones held at the top of the first), and where an
update is now (``page_of``, for its permalink).

Every count comes from the stream's own row (``Stream.shown_count``): a page of a stream of 3,000 updates costs
the same few queries as one of 30, none of which counts or scans the stream.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from articles.models import Article
from articles.models import surrogates as names
from live.models import Stream, Update
from pagecache.keys import tag

PER_PAGE = 20
KEY_EVENTS_SHOWN = 10
PAGE_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits: " 1" and "١" (which int() reads as 1) name no page


@dataclass
class KeyEvent:
    update: Update
    href: str  # "#update-<pk>" when on the page shown, else its permalink


@dataclass
class LivePage:
    """The live part of an article's page: ``page`` is the page of updates shown (``page.object_list``)."""

    article: object
    seq: int
    shown_count: int
    changed_at: datetime | None
    running: bool
    ended: bool
    newest_first: bool
    page: object
    key_events: list

    @property
    def order(self):
        return "newest" if self.newest_first else "oldest"

    @property
    def poll_url(self):
        """Where a script asks for what is newer than the page shows ("" while no poll is served)."""
        try:
            return reverse("live:poll", kwargs={"slug": self.article.slug})
        except NoReverseMatch:
            return ""

    @cached_property
    def latest(self):
        """The newest shown updates, for structured data (``live.public.structured``)."""
        return list(shown_updates(self.article).order_by("-posted_at", "-pk")[:PER_PAGE])


class StreamPaginator(Paginator):
    """Pages of updates numbered from the stream's own count, never a COUNT over the stream."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count  # Paginator.count is a cached property: this is its value, no query asked


def readable_pages():
    """The live pages readers may see: published (``Article.objects.published``) and live (``live_pages``). The
    one rule every reader surface of a stream starts from (the poll, the feeds, the permalinks); their updates
    are then the ``Update.objects.shown()`` ones of the page found here."""
    return Article.objects.published().live_pages()


def readable_page(slug):
    """The live page readers may see at ``slug``, or None."""
    return readable_pages().filter(slug=slug).first()


def shown_updates(article):
    return Update.objects.shown().filter(article=article).prefetch_related("authors")


def stream_of(article):
    """The stream's counters, or an empty stream's when nothing was ever posted."""
    return Stream.objects.filter(pk=article.pk).first() or Stream(article=article)


def page_number(request):
    """The page asked for (``?page=N``), 1 when none; a 404 naming the problem for anything else."""
    value = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(value):
        raise Http404("The page of updates must be a whole number, written in digits 0 to 9.")
    number = int(value)
    if number < 1:
        raise Http404("Pages of updates start at 1.")
    return number


def live_page(article, number, now=None):
    """The live part of ``article``'s page ``number`` (a 404 past the last page): a fixed number of queries."""
    counters = stream_of(article)
    newest_first = article.newest_first(now)
    paginator = StreamPaginator(
        shown_updates(article).in_stream_order(newest_first), PER_PAGE, count=counters.shown_count
    )
    try:
        page = paginator.page(number)
    except InvalidPage:
        raise Http404(f"There is no page {number} of updates: the last is page {paginator.num_pages}.") from None
    on_page = {update.pk for update in page.object_list}
    key_events = []
    if counters.key_count:
        found = Update.objects.shown().filter(article=article, key_event=True).order_by("-posted_at", "-pk")
        for update in found[:KEY_EVENTS_SHOWN]:
            href = f"#{update.anchor}" if update.pk in on_page else f"{permalink(article, update)}#{update.anchor}"
            key_events.append(KeyEvent(update, href))
    return LivePage(
        article=article,
        seq=counters.seq,
        shown_count=counters.shown_count,
        changed_at=counters.changed_at,
        running=article.coverage_running(now),
        ended=article.coverage_ended(now),
        newest_first=newest_first,
        page=page,
        key_events=key_events,
    )


def permalink(article, update):
    """The address of ``update``'s permalink, which leads to the page holding it now."""
    return reverse("live:update", kwargs={"slug": article.slug, "pk": update.pk})


def page_of(article, update, now=None):
    """The number of the page that holds ``update`` (a shown update of ``article``) now: pinned updates are on
    the first; any other is after the pinned ones and the updates ahead of it in the stream's order (a count
    bounded by the index on the stream's shown updates, asked only when a permalink is followed)."""
    if update.pinned:
        return 1
    shown = Update.objects.shown().filter(article=article)
    newest_first = article.newest_first(now)
    later = "gt" if newest_first else "lt"
    tied = Q(posted_at=update.posted_at, **{f"pk__{later}": update.pk})
    ahead = Q(**{f"posted_at__{later}": update.posted_at}) | tied
    position = shown.filter(pinned=True).count() + shown.filter(ahead, pinned=False).count()
    return position // PER_PAGE + 1


def tag_page(live):
    """Tag the page as showing the stream and the authors it names."""
    authors = {author.pk for update in live.page.object_list for author in update.authors.all()}
    authors |= {author.pk for update in live.latest for author in update.authors.all()}
    tag(names.stream(live.article.pk), *map(names.author, sorted(authors)))

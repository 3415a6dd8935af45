"""Which feeds an article's event changed: the site's feed, the feeds of the article's section, tags and authors
(as the event found them, and as the one before it did, since an edit can take the article out of a list), and
the corrections feed when the corrections it shows changed; each in every format the site serves, as the absolute
URL the feed names itself by. A live page's feeds of updates (``live_feeds``) change with its own events and with
its updates (``websub.notices.update_saved``)."""

from django.urls import NoReverseMatch, reverse

from articles.models import Article, ArticleEvent, SiteSettings
from articles.public.feeds import GENERATORS


def lists(data):
    """The feeds an article is listed in, as (URL name, slug) pairs, from an event's ``data``."""
    found = [("feed", None)]
    if data.get("section"):
        found.append(("section_feed", data["section"]))
    found += [("tag_feed", slug) for slug in data.get("tags") or ()]
    found += [("author_feed", slug) for slug in data.get("authors") or ()]
    return found


def changed_feeds(event):
    """The absolute URLs of the feeds ``event`` changed, each once, in a stable order."""
    names = lists(event.data or {})
    before = ArticleEvent.objects.filter(article_id=event.article_id, seq__lt=event.seq).order_by("-seq").first()
    if before is not None and before.announced_live:  # the lists it was in until now changed too
        names += lists(before.data or {})
    if _corrections_changed(event, before):
        names.append(("corrections_feed", None))
    site = SiteSettings.current()
    urls = []
    for name, slug in names:
        for fmt in GENERATORS:
            try:
                path = reverse(f"articles:{name}_{fmt}", kwargs={"slug": slug} if slug else {})
            except NoReverseMatch:  # a slug no feed URL can carry: that feed does not exist
                continue
            urls.append(site.absolute(path))
    live_page = Article.objects.live_pages().filter(pk=event.article_id).first()
    if live_page is not None:  # its feeds of updates carry its title, and are there only while it is public
        urls += live_feeds(live_page)
    return list(dict.fromkeys(urls))


def live_feeds(article):
    """The absolute URLs of live page ``article``'s feeds of updates, in every format."""
    site = SiteSettings.current()
    return [site.absolute(reverse(f"live:feed_{fmt}", kwargs={"slug": article.slug})) for fmt in GENERATORS]


def _corrections_changed(event, before):
    """Whether the corrections feed changed: a correction added, edited or deleted, or the article, corrected,
    coming into view or leaving it."""
    shown = (event.data or {}).get("corrections")
    if event.kind in (ArticleEvent.Kind.CORRECTED, ArticleEvent.Kind.UPDATED):
        told = (before.data or {}).get("corrections") if before is not None else None
        return event.kind == ArticleEvent.Kind.CORRECTED or shown != told
    return shown is not None

"""Pieces of reader pages rendered once per version of what they show: an article card, an article's body
with its header and corrections, a feed entry (kept by ``pagecache.fragment_store``).

A fragment's key is a digest of every row it is rendered from (the article, its bylines and their authors,
its tags, its corrections), of the settings it reads and of the release. An edit, a rename
or a new template makes new keys, so an old fragment is never served and nothing has to be invalidated:
when an edit retires the page generation, pages are put together again from fragments, and only the rows
that changed are rendered again.

An article's own row is signed by its version (every save counts one), its creation and modification times
and the renderer that made its HTML (``rerender_markdown`` changes only that): those change whenever anything
else in the row does, and signing 25 fields of 50 rows on every feed request cost a millisecond.
"""

from django.conf import settings
from django.template import loader

from articles.models import SiteSettings
from articles.site import chrome, newsroom_pages
from pagecache import fragment_store


def site_state(*, shows_bodies):
    """What every article fragment shows besides its own rows: the site settings (whose every save is dated),
    the display time zone and the media address; and, for fragments that show bodies (an article's page, a
    feed entry), the state of the library pictures bodies show (``chrome.library_version``)."""
    site = SiteSettings.current()
    shared = (site.pk, site.modified_at, site.time_zone, settings.MEDIA_URL)
    return shared + tuple(chrome.library_version()) if shows_bodies else shared


def article_version(article):
    """What identifies one version of an article's row (see the module's notes)."""
    values = article.__dict__
    return (article.pk, values["version"], values["created_at"], values["modified_at"], values["html_renderer"])


def picture_version(image):
    """What identifies one version of a library picture as readers see it: every save is dated, and the day
    its rights run out changes what is shown without a save."""
    return image and (image.pk, image.modified_at, image.rights_expired())


def kind_version(article):
    """The article's kind as its label shows it: every save of a kind is dated."""
    kind = article.kind if article.kind_id is not None else None
    return kind and (kind.pk, kind.modified_at)


def coverage_state(article):
    """Whether a live page's coverage runs or ended, which its card and header say: moments no cached page
    outlives, passed without a save."""
    return article.is_live_page and (article.coverage_running(), article.coverage_ended())


def article_rows(article, *, corrections=False):
    """Everything an article's fragments show: the article's version, its section, its lead picture, its
    bylines with their authors, its tags, its kind of work and, when asked, its corrections (fetched with the article by
    ``with_credits`` and the detail view; a correction has no version, so its rendered text stands for it).
    The pictures of its body are in the key's prefix (``site_state``)."""
    section = article.section if article.section_id is not None else None
    lead = picture_version(article.lead_image) if article.lead_image_id is not None else None
    rows = [article_version(article), section and (section.pk, section.name, section.slug), lead, article.bylines_shown,
            article.tags_shown, coverage_state(article), kind_version(article)]  # fmt: skip
    if corrections:
        rows += [(c.pk, c.kind, c.created_at, c.text_html) for c in article.corrections.all()]
    return rows


def render_template(name, context):
    return loader.get_template(name).render(context)


def cards(articles, *, lead=False):
    """Article cards (the first one as the lead when ``lead``), each rendered once per version."""
    items = [(article, lead and n == 0) for n, article in enumerate(articles)]
    return fragment_store.many("card", items, _card_signature, lambda item: _card(*item),
                               depends_on=site_state(shows_bodies=False))  # fmt: skip


def front_cards(front):
    """The front page's cards (``models.FrontPage``) in one lookup: {"lead": card or "", "top": [cards],
    "sections": [(section, [cards])], "latest": [cards]}."""
    shown = list(front)
    made = iter(fragment_store.many("card", [(article, article is front.lead) for article in shown], _card_signature,
                                    lambda item: _card(*item), depends_on=site_state(shows_bodies=False)))  # fmt: skip
    return {
        "lead": next(made) if front.lead else "",
        "top": [next(made) for _ in front.top],
        "sections": [(section, [next(made) for _ in articles]) for section, articles in front.sections],
        "latest": [next(made) for _ in front.latest],
    }


def _card_signature(item):
    article, lead = item
    return lead, article_rows(article)


def _card(article, lead):
    return render_template("articles/_article_card.html", {"article": article, "lead": lead})


ARTICLE_PARTS = {"meta": "articles/_article_meta.html", "structured_data": "articles/_article_structured_data.html",
                 "head": "articles/_article_head.html", "body": "articles/_article_body.html"}  # fmt: skip


def article_parts(article, *, keep=True):
    """The article as readers see it, in the pieces its page places: "meta" (Open Graph), "structured_data"
    (its JSON-LD, which a part of the page may stand for), "head" (the breadcrumb's JSON-LD) and "body" (header,
    lead figure, body, corrections, tags). Rendered once per version when ``keep``; asked for again during the
    same request, the pieces come from the article itself."""
    parts = getattr(article, "_parts", None)
    if parts is None:

        def render(item):
            return {name: render_template(template, {"article": item}) for name, template in ARTICLE_PARTS.items()}

        signature = lambda item: article_rows(item, corrections=True)  # noqa: E731
        if keep:
            # Its JSON-LD names the publisher's pages (``newsroom_pages``) too.
            shared = (*site_state(shows_bodies=True), tuple(newsroom_pages.page_links()))
            parts = fragment_store.one("article", article, signature, render, depends_on=shared)
        else:
            parts = render(article)
        article._parts = parts
    return parts


def feed_entries(entry_format, articles, render, prepare):
    """The entries of a feed in ``entry_format``, one per article, each rendered once per version of what it
    shows (bodies included); ``prepare(missed articles)`` before the misses are rendered."""
    return fragment_store.many(f"feed-{entry_format}", articles, article_rows, render,
                               depends_on=site_state(shows_bodies=True), prepare=prepare)  # fmt: skip

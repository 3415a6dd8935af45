"""Articles: the list (filtered, newest first, by cursor) and one article, and a live page's updates."""

import datetime as dt

from django.http import Http404
from ninja import Query, Router
from taggit.models import Tag

from api import http, listing, pages, schemas, shapes, visible
from api.problems import Problem
from articles.models import Article, Author, KindOfWork, Section, SiteSettings
from articles.models import surrogates as names
from articles.public import shown
from live import tokens
from live.public.page import stream_of
from pagecache.keys import tag

router = Router(tags=["articles"])
NEWEST = pages.Order("published_at")
NEWEST_UPDATES = pages.Order("posted_at")


def _articles(request):
    return visible.articles(request.api_caller)


@router.get(
    "/articles",
    response=schemas.ArticlePage,
    summary="Articles, newest first",
    description=(
        "The articles readers can see, newest first (with a drafts key, every article, those without a "
        "publication time last). Filters combine: an article must match them all. Each item is the article's "
        "card; its own address gives the body."
    ),
)
def article_list(
    request,
    section: str | None = Query(None, description="A section's slug."),
    kind: str | None = Query(None, description="A kind of work's slug (news, analysis, opinion…)."),
    tag_slug: str | None = Query(None, alias="tag", description="A tag's slug."),
    author: str | None = Query(None, description="An author's slug."),
    published_since: dt.datetime | None = Query(None, description="ISO 8601: published at or after."),
    updated_since: dt.datetime | None = Query(None, description="ISO 8601: changed in any way at or after."),
    q: str | None = Query(None, max_length=200, description="Words to search for, as the site's search."),
    limit: listing.Limit = pages.DEFAULT_LIMIT,
    cursor: listing.Cursor = None,
):
    found = _articles(request)
    tag(names.SITE, names.LATEST)
    if section:
        found = found.filter(section__in=Section.objects.filter(slug=section))
        tag(*(names.section_list(pk) for pk in Section.objects.filter(slug=section).values_list("pk", flat=True)))
    if kind:
        kind_ids = list(KindOfWork.objects.filter(slug=kind).values_list("pk", flat=True))
        found = found.filter(kind__in=kind_ids)
        tag(*map(names.kind_list, kind_ids))
    if tag_slug:
        tag_ids = list(Tag.objects.filter(slug=tag_slug).values_list("pk", flat=True))
        found = found.with_any_tag(tag_ids)
        tag(*map(names.tag_list, tag_ids))
    if author:
        author_ids = list(Author.objects.filter(slug=author).values_list("pk", flat=True))
        found = found.filter(bylines__author__in=author_ids)
        tag(*map(names.author_list, author_ids))
    if published_since:
        found = found.filter(published_at__gte=listing.since(published_since, "published_since"))
    if updated_since:
        found = found.filter(modified_at__gte=listing.since(updated_since, "updated_since"))
    if q is not None:
        found = found.filter(pk__in=found.search(" ".join(q.split())).values("pk"))
    newest = NEWEST._replace(nullable=request.api_caller.drafts)  # drafts have no publication time yet
    rows, address = listing.page(request, "articles", found.for_lists().with_credits(), newest,
                                 limit=limit, cursor=cursor)  # fmt: skip
    shown.cards(rows)
    http.modified(request, *(row.modified_at for row in rows))
    site = SiteSettings.current()
    return {"data": [shapes.card(site, row) for row in rows], "next": address}


@router.get(
    "/articles/{int:article_id}",
    response=schemas.ArticleOut,
    summary="One article",
    description=(
        "One article as readers see it: the body in HTML, bylines, section, tags, lead picture and corrections. "
        "An article readers cannot see (a draft, a scheduled one) is a 404 without a drafts key; a withdrawn one "
        "is a 410 whose detail is the note readers are shown."
    ),
)
def article_detail(
    request,
    article_id: int,
    include: str | None = Query(None, description="`source`: the Markdown the body is made from, too (drafts keys)."),
):
    wanted = set(filter(None, (include or "").split(",")))
    if wanted - {"source"}:
        raise Problem(400, f"include: unknown value {sorted(wanted - {'source'})[0]!r}; known: source.", "include")
    if "source" in wanted and not request.api_caller.drafts:  # its comments and unused notes are not for readers
        raise Problem(403, "include=source needs a key with the drafts scope.", "include")
    found = _articles(request).with_credits().prefetch_related("corrections").filter(pk=article_id).first()
    if found is None:
        tag(names.MISSING)
        gone = Article.objects.withdrawn().filter(pk=article_id).first()
        if gone is not None:  # as its page says: 410, with the public note
            tag(names.article(gone.pk))
            raise Problem(410, f"Article {article_id} was withdrawn. {gone.withdrawal_note}".strip(), "article_id")
        raise Http404(f"No article {article_id}.")
    shown.article_page(found)
    http.modified(request, found.modified_at)
    return shapes.article(SiteSettings.current(), found, source="source" in wanted)


def stream_variant(article_id=None, **kwargs):
    """The page cache's token for a live page's updates (``live.tokens``): a new update retires them alone."""
    return tokens.token_of(article_id) if article_id in tokens.live_pages().values() else ""


@router.get(
    "/articles/{int:article_id}/updates",
    response=schemas.UpdatePage,
    summary="A live page's updates",
    description=(
        "The updates readers see on a live page, newest first. A 404 when the article is not a live page readers "
        "can see."
    ),
)
def update_list(
    request,
    article_id: int,
    limit: listing.Limit = pages.DEFAULT_LIMIT,
    cursor: listing.Cursor = None,
):
    page = visible.live_pages(request.api_caller).filter(pk=article_id).first()
    if page is None:
        tag(names.MISSING)
        raise Http404(f"No live page {article_id}.")
    tag(names.article(page.pk), names.stream(page.pk))
    updates = visible.updates(request.api_caller, page).prefetch_related("authors")
    rows, address = listing.page(request, "updates", updates, NEWEST_UPDATES, limit=limit, cursor=cursor)
    site = SiteSettings.current()
    page_url = site.absolute(page.get_absolute_url())
    # The stream's last change too: a deleted update leaves no row to date the list by
    http.modified(
        request, page.modified_at, stream_of(page).changed_at, *(row.edited_at or row.posted_at for row in rows)
    )
    return {"data": [shapes.update(site, row, page_url) for row in rows], "next": address}

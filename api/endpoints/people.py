"""Sections, tags and authors: those the caller's articles name, each with its own address."""

from django.http import Http404
from ninja import Router

from api import http, listing, pages, schemas, shapes, visible
from articles.models import SiteSettings, tag_path
from articles.models import surrogates as names
from articles.public import shown
from pagecache.keys import tag

router = Router(tags=["sections, tags and authors"])
BY_NAME = pages.Order("name", descending=False, is_time=False)


@router.get(
    "/sections",
    response=schemas.SectionPage,
    summary="Sections holding at least one article",
    description="The sections that hold at least one article readers can see, by name.",
)
def section_list(request, limit: listing.Limit = pages.DEFAULT_LIMIT,
                 cursor: listing.Cursor = None):  # fmt: skip
    found = visible.sections(request.api_caller)
    rows, address = listing.page(request, "sections", found, BY_NAME, limit=limit, cursor=cursor)
    tag(names.LATEST, *(names.section(row.pk) for row in rows))
    http.modified(request, *(row.modified_at for row in rows))
    site = SiteSettings.current()
    return {"data": [shapes.section(site, row) for row in rows], "next": address}


@router.get(
    "/sections/{slug}",
    response=schemas.SectionOut,
    summary="One section",
    description="One section, by its slug; a 404 when it holds no article readers can see.",
)
def section_detail(request, slug: str):
    found = visible.sections(request.api_caller).filter(slug=slug).first()
    if found is None:
        tag(names.MISSING, names.LATEST)
        raise Http404(f"No section {slug!r}.")
    tag(names.section(found.pk), names.section_list(found.pk))
    http.modified(request, found.modified_at)
    return shapes.section(SiteSettings.current(), found)


@router.get(
    "/tags",
    response=schemas.TagPage,
    summary="Tags carried by at least one article, by name",
    description="The tags carried by at least one article readers can see, by name.",
)
def tag_list(request, limit: listing.Limit = pages.DEFAULT_LIMIT,
             cursor: listing.Cursor = None):  # fmt: skip
    found = visible.tags(request.api_caller)
    rows, address = listing.page(request, "tags", found, BY_NAME, limit=limit, cursor=cursor)
    tag(names.TAGS, *(names.tag(row.pk) for row in rows))
    site = SiteSettings.current()
    return {"data": [shapes.tag(site, row.name, row.slug, tag_path(row.slug)) for row in rows], "next": address}


@router.get(
    "/tags/{slug}",
    response=schemas.TagOut,
    summary="One tag",
    description="One tag, by its slug; a 404 when no article readers can see carries it.",
)
def tag_detail(request, slug: str):
    found = visible.tags(request.api_caller).filter(slug=slug).first()
    if found is None:
        tag(names.MISSING, names.TAGS)
        raise Http404(f"No tag {slug!r}.")
    tag(names.tag(found.pk), names.tag_list(found.pk))
    return shapes.tag(SiteSettings.current(), found.name, found.slug, tag_path(found.slug))


@router.get(
    "/authors",
    response=schemas.AuthorPage,
    summary="Authors credited on at least one article",
    description="The authors credited on at least one article readers can see, by name.",
)
def author_list(request, limit: listing.Limit = pages.DEFAULT_LIMIT,
                cursor: listing.Cursor = None):  # fmt: skip
    found = visible.authors(request.api_caller).select_related("photo")
    rows, address = listing.page(request, "authors", found, BY_NAME, limit=limit, cursor=cursor)
    tag(names.LATEST)
    for row in rows:
        shown.author_page(row)
    site = SiteSettings.current()
    return {"data": [shapes.author(site, row) for row in rows], "next": address}


@router.get(
    "/authors/{slug}",
    response=schemas.AuthorOut,
    summary="One author",
    description="One author, by their slug; a 404 when they are credited on no article readers can see.",
)
def author_detail(request, slug: str):
    found = visible.authors(request.api_caller).select_related("photo").filter(slug=slug).first()
    if found is None:
        tag(names.MISSING, names.LATEST)
        raise Http404(f"No author {slug!r}.")
    shown.author_page(found)
    return shapes.author(SiteSettings.current(), found)

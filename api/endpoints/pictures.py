"""Library pictures readers can see today, with their renditions, credit, licence and rights; and corrections."""

from django.http import Http404
from ninja import Router

from api import http, listing, pages, schemas, shapes, visible
from articles.models import SiteSettings
from articles.models import surrogates as names
from articles.public import shown
from pagecache.keys import tag

router = Router(tags=["pictures and corrections"])
NEWEST_PICTURES = pages.Order("uploaded_at")
NEWEST_CORRECTIONS = pages.Order("created_at")


@router.get(
    "/pictures",
    response=schemas.PicturePage,
    summary="Library pictures, newest first",
    description=(
        "The library's pictures readers can see (shown by a published article, their rights running), newest "
        "first, with their renditions, credit and licence. With a drafts key, every picture."
    ),
)
def picture_list(request, limit: listing.Limit = pages.DEFAULT_LIMIT,
                 cursor: listing.Cursor = None):  # fmt: skip
    found = visible.pictures(request.api_caller)
    rows, address = listing.page(request, "pictures", found, NEWEST_PICTURES, limit=limit, cursor=cursor)
    tag(names.LATEST, *(names.picture(row.pk) for row in rows))
    http.modified(request, *(row.modified_at for row in rows))
    site = SiteSettings.current()
    return {"data": [shapes.picture(site, row) for row in rows], "next": address}


@router.get(
    "/pictures/{int:picture_id}",
    response=schemas.PictureOut,
    summary="One library picture",
    description="One library picture, by its id; a 404 once no published article shows it or its rights have ended.",
)
def picture_detail(request, picture_id: int):
    found = visible.pictures(request.api_caller).filter(pk=picture_id).first()
    if found is None:
        tag(names.MISSING, names.LATEST, names.picture(picture_id))
        raise Http404(f"No picture {picture_id}.")
    tag(names.picture(found.pk))
    http.modified(request, found.modified_at)
    return shapes.picture(SiteSettings.current(), found)


@router.get(
    "/corrections",
    response=schemas.CorrectionPage,
    summary="Corrections and updates, newest first",
    description=(
        "The corrections and updates appended to articles readers can see, newest first, each with its article."
        "The corrections and updates appended to articles readers can see, newest first, each with its article."
    ),
)
def correction_list(request, limit: listing.Limit = pages.DEFAULT_LIMIT,
                    cursor: listing.Cursor = None):  # fmt: skip
    found = visible.corrections(request.api_caller).select_related("article")
    rows, address = listing.page(request, "corrections", found, NEWEST_CORRECTIONS, limit=limit, cursor=cursor)
    shown.corrections(rows)
    http.modified(request, *(row.article.modified_at for row in rows))
    site = SiteSettings.current()
    return {"data": [shapes.correction(site, row) for row in rows], "next": address}

"""What the API says of each thing, as plain values for the schemas (``api.schemas``), with absolute addresses
on the public site (``SiteSettings.absolute``)."""

from django.core.files.storage import default_storage

from articles.markup import figures
from articles.models import Image
from articles.public.feedformats import links_made_absolute


def section(site, found):
    return {"slug": found.slug, "name": found.name, "description": found.description,
            "url": site.absolute(found.get_absolute_url())}  # fmt: skip


def kind(found):
    return {"slug": found.slug, "name": found.name, "sponsored": found.sponsored}


def tag(site, name, slug, url):
    return {"name": name, "slug": slug, "url": site.absolute(url)}


def lead_image(article):
    url = article.image_url
    if not url:
        return None
    return {"url": url, "alt": article.lead_alt, "caption": article.lead_caption,
            "credit": article.lead_credit, "picture": article.lead_image_id}  # fmt: skip


def byline_of(site, byline):
    return {"name": byline.name, "slug": byline.slug, "role": byline.role, "url": site.absolute(byline.url)}


def card(site, article):
    """An article as lists show it: no body (``with_credits``, ``for_lists``)."""
    return {
        "id": article.pk,
        "url": site.absolute(article.get_absolute_url()),
        "slug": article.slug,
        "title": article.title,
        "dek": article.dek,
        "status": article.status,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "modified_at": article.modified_at,
        "section": section(site, article.section) if article.section_id else None,
        "kind": kind(article.kind) if article.kind_id else None,
        "sponsor": article.sponsor,
        "authors": [byline_of(site, byline) for byline in article.bylines_shown],
        "tags": [tag(site, shown.name, shown.slug, shown.url) for shown in article.tags_shown],
        "lead_image": lead_image(article),
        "live": article.live_from is not None,
    }


def correction(site, found, article=None):
    article = article or found.article
    url = site.absolute(found.get_absolute_url())
    return {
        "id": found.pk,
        "kind": found.kind,
        "text_html": links_made_absolute(found.text_for_readers(), site.public_url, url),
        "created_at": found.created_at,
        "url": url,
        "article": {"id": article.pk, "title": article.title, "url": site.absolute(article.get_absolute_url())},
    }


def article(site, found, *, source=False):
    """An article with its body as readers see it (links made absolute) and, when asked, its Markdown."""
    url = site.absolute(found.get_absolute_url())
    return {
        **card(site, found),
        "body_html": links_made_absolute(found.body_for_readers(), site.public_url, url),
        "body_source": found.body if source else None,
        "corrections": [correction(site, each, found) for each in found.corrections.all()],
    }


def author(site, found):
    url = site.absolute(found.get_absolute_url())
    return {
        "slug": found.slug,
        "name": found.name,
        "job_title": found.job_title,
        "expertise": found.subjects,
        "bio_html": links_made_absolute(found.bio_for_readers(), site.public_url, url),
        "photo_url": site.absolute(found.photo_url),
        "website": found.website,
        "profiles": found.profile_urls,
        "public_email": found.public_email,
        "url": url,
    }


def _file(site, name):
    return site.absolute(default_storage.url(name)) if name else ""


def source(site, rendition):
    """One width of a picture, in each format it is stored in."""
    return {"width": rendition["width"], "height": rendition["height"],
            "webp": _file(site, rendition.get("webp")), "jpg": _file(site, rendition.get("jpg"))}  # fmt: skip


def picture(site, found):
    kept = found.renditions or {}
    return {
        "id": found.pk,
        "url": site.absolute(found.url),
        "width": found.width,
        "height": found.height,
        "alt": found.alt,
        "caption": found.caption,
        "credit": found.credit,
        "licence": found.licence,
        "rights_expire_on": found.rights_expire_on,
        "renditions": [source(site, each) for each in kept.get("sources", [])],
        "crops": {name: _file(site, kept[name]) for name in ("social", "square", "thumb") if kept.get(name)},
        "modified_at": found.modified_at,
    }


def update(site, found, page_url):
    html = found.body_html
    return {
        "id": found.pk,
        "headline": found.headline,
        "body_html": links_made_absolute(figures.expand(html, Image.objects.shown_in(html)), site.public_url, page_url),
        "posted_at": found.posted_at,
        "edited_at": found.edited_at,
        "key_event": found.key_event,
        "pinned": found.pinned,
        "correction": found.correction,
        "authors": [each.name for each in found.authors.all()],
        "url": f"{page_url}#{found.anchor}",
    }

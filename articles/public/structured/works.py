"""The works JSON-LD describes: an article, as the kind of work it is (its schema.org type and genre), with its
bylines, its pictures, its corrections and, for a sponsored piece, its sponsor."""

from articles.markup import figures
from articles.models import Correction, SiteSettings
from articles.models.kinds import SchemaType
from articles.models.site import HEADLINE_LIMIT
from articles.public.structured.things import byline_person, image_object, outside_image, plain, publisher


def pictures(article):
    """An ImageObject for each picture readers see in the article: its lead picture (the library's, unless its
    rights have run out, with the article's own caption and credit; else one from outside), then the library
    pictures its body shows, each once (with the caption the body gives it, else the library's), none whose
    rights have run out."""
    found = []
    lead = article.shown_lead_image
    if lead is not None:
        found.append(image_object(lead, caption=article.lead_caption, credit=article.lead_credit))
    elif article.lead_image_id is None and article.lead_image_url:
        found.append(outside_image(article.lead_image_url, caption=article.lead_caption, credit=article.lead_credit))
    shown, captions = article.pictures, figures.captions(article.body_html)
    for number in figures.referenced_ids(article.body_html):
        image = shown.get(number)
        if image is not None and number != article.lead_image_id and not image.rights_expired():
            found.append(image_object(image, caption=captions.get(number)))
    return found


def correction_comment(article, correction):
    site = SiteSettings.current()
    return {
        "@type": "CorrectionComment",
        "url": site.absolute(f"{article.get_absolute_url()}#correction-{correction.pk}"),
        "datePublished": correction.created_at.isoformat(),
        "text": plain(correction.text_html),
    }


def date_modified(article, corrections):
    """When the article last changed for readers: its "Updated" time, moved on by its latest correction or
    update, never before its publication."""
    moments = [article.published_at, article.updated_at, *(correction.created_at for correction in corrections)]
    return max(moment for moment in moments if moment is not None)


def news_article(article):
    """schema.org NewsArticle (or the type its kind of work is published as) for one published article, as a
    dict ready for JSON. Its corrections (not its updates, which correct nothing) are CorrectionComments."""
    site = SiteSettings.current()
    kind = article.kind if article.kind_id is not None else None
    shown = list(article.corrections.all())
    data = {
        "@context": "https://schema.org",
        "@type": kind.schema_type if kind is not None else SchemaType.NEWS.value,
        "headline": article.title[:HEADLINE_LIMIT],
        "description": article.dek,
        "genre": kind.name if kind is not None else None,
        "url": site.absolute(article.get_absolute_url()),
        "mainEntityOfPage": site.absolute(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": date_modified(article, shown).isoformat(),
        "author": [byline_person(byline) for byline in article.bylines_shown],
        "articleSection": article.section.name if article.section_id is not None else None,
        "keywords": [tag.name for tag in article.tags_shown],
        "inLanguage": site.language,
        "image": pictures(article),
        "sponsor": {"@type": "Organization", "name": article.sponsor} if article.sponsor else None,
        "correction": [
            correction_comment(article, correction)
            for correction in shown
            if correction.kind == Correction.Kind.CORRECTION
        ],
        "publisher": publisher(),
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}

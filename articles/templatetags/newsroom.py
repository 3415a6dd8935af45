from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.markup import figures, reading
from articles.models import SiteSettings
from articles.public import feedformats, fragments, seo, structured
from articles.public.structured import pages, works

register = template.Library()


@register.simple_tag
def news_article_jsonld(article):
    """A <script type="application/ld+json"> block describing the article for search engines."""
    return structured.script(works.news_article(article))


@register.simple_tag
def breadcrumb_jsonld(article):
    """A <script type="application/ld+json"> block with the article's BreadcrumbList."""
    return structured.script(seo.breadcrumb_list(article))


@register.simple_tag
def front_page_jsonld():
    """The front page's JSON-LD blocks: the publisher and the website."""
    return mark_safe("\n".join(structured.script(block) for block in pages.front_page()))  # noqa: S308


@register.simple_tag
def author_jsonld(author):
    """A <script type="application/ld+json"> block with the author's ProfilePage."""
    return structured.script(pages.profile_page(author))


@register.filter
def breadcrumbs(article):
    return seo.breadcrumbs(article)


@register.filter
def absolute(path):
    """The configured public address of a site path (``SiteSettings.absolute``)."""
    return SiteSettings.current().absolute(path)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with another page number, keeping the search query (and nothing else)."""
    query = QueryDict(mutable=True)
    if "q" in context["request"].GET:
        query["q"] = context["request"].GET["q"]
    if number != 1:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def reading_time(html):
    """'4 min read' for rendered article HTML."""
    return f"{reading.reading_minutes(reading.plain_text(html))} min read"


@register.simple_tag
def lead_picture(article, sizes="100vw", eager=False, decorative=False):
    """The lead image: the library picture as ``<picture>`` with its renditions (``figures.picture``, as body
    pictures are shown), or an outside address as it is."""
    alt = "" if decorative else article.lead_alt
    image = article.shown_lead_image
    if image is not None:
        return figures.picture(image, alt=alt, sizes=sizes, loading="eager" if eager else "lazy")
    if article.image_url:
        return format_html('<img src="{}" alt="{}" loading="lazy" decoding="async">', article.image_url, alt)
    return ""


register.filter("social_image", seo.social_image)
register.filter("large_image_preview", seo.large_image_preview)
register.filter("xml_safe", feedformats.xml_safe)  # text XML 1.0 can carry: no control characters


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's public address with only what it reads: the search words and a page number after the
    first. Anything else a visitor added (tracking parameters, say) never reaches a cached page's canonical."""
    request = context["request"]
    query = QueryDict(mutable=True)
    if context.get("query"):
        query["q"] = context["query"]
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        query["page"] = page.number
    encoded = query.urlencode()
    return SiteSettings.current().absolute(request.path + (f"?{encoded}" if encoded else ""))


@register.filter
def iso_seconds(value):
    """An aware datetime as ISO 8601 to the second (2026-11-30T09:40:32+00:00), as HTML's datetime wants."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""


@register.simple_tag
def article_cards(articles, lead=False):
    """The cards of ``articles`` as a list (the first as the lead when ``lead``), each rendered once per
    version: ``{% article_cards article_list as cards %}``."""
    return [mark_safe(card) for card in fragments.cards(articles, lead=lead)]  # noqa: S308 - our templates


@register.simple_tag
def front_cards(front):
    """The front page's cards, each rendered once per version: ``{% front_cards front as cards %}``."""
    found = fragments.front_cards(front)
    safe = lambda cards: [mark_safe(card) for card in cards]  # noqa: E731, S308 - rendered by our templates
    return {"lead": mark_safe(found["lead"]), "top": safe(found["top"]),  # noqa: S308
            "sections": [(section, safe(cards)) for section, cards in found["sections"]],
            "latest": safe(found["latest"])}  # fmt: skip


@register.simple_tag(takes_context=True)
def article_part(context, article, part):
    """One piece of the article as readers see it (see ``fragments.article_parts``), rendered once per
    version; previews of unpublished work are not kept."""
    keep = not context.get("preview_banner")
    return mark_safe(fragments.article_parts(article, keep=keep)[part])  # noqa: S308 - rendered by our templates

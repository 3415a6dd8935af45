from django import template
from django.utils.safestring import mark_safe

from .. import markup, seo

register = template.Library()


@register.simple_tag
def news_article_jsonld(article):
    """A <script type="application/ld+json"> block describing the article for search engines."""
    return mark_safe(f'<script type="application/ld+json">{seo.json_ld(seo.news_article(article))}</script>')  # noqa: S308


@register.filter
def absolute(path):
    """The configured public address of a site path."""
    return seo.absolute(path)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address with another page number, keeping the other query parameters."""
    query = context["request"].GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def reading_time(html):
    """'4 min read' for rendered article HTML."""
    return f"{markup.reading_minutes(markup.plain_text(html))} min read"

"""The live part of an article's page, registered with ``articles.public.parts`` from ``LiveConfig.ready()``."""

from django.utils.safestring import mark_safe

from live.public import page, structured


def article_part(request, article):
    """Nothing for an article that is not a live page; else its stream under the body (``live/_stream.html``,
    given ``live``, a ``page.LivePage``), its structured data (which stands for the article's own), ``page_obj``
    (the canonical address names the page) and the time the stream last changed (``modified_at``), which dates
    the page (the slots of ``articles.public.parts``)."""
    if not article.is_live_page:
        return None
    live = page.live_page(article, page.page_number(request))
    page.tag_page(live)
    return {
        "after_body": [{"template": "live/_stream.html", "live": live}],
        "structured_data": mark_safe(structured.json_ld(live)),  # noqa: S308 - escaped for a script element
        "page_obj": live.page,
        "modified_at": live.changed_at,
    }

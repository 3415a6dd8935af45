"""JSON-LD for search engines (schema.org): the things a page names (``things``: the publisher, people,
pictures), the works (``works``: an article), the pages that are not articles (``pages``: the front page, an
author's) and the script element that carries each block (``script``)."""

import json

from django.utils.safestring import mark_safe


def json_ld(data):
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script(data):
    """A <script type="application/ld+json"> element carrying ``data``."""
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')  # noqa: S308 - escaped above

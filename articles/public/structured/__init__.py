"""JSON-LD for search engines (schema.org): the things a page names (``things``: people, the publisher), the works
(``works``: an article) and the script element that carries them (``json_ld``)."""

import json


def json_ld(data):
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

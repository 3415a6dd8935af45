"""What other apps add to an article's page, registered from their ``AppConfig.ready()`` (the content knows
none of them): a variant of the page's key in the page cache (``register_variant``: a live page's stream is
retired by its own token) and parts of the page (``register_part``: a live page's stream of updates).

A part is ``part(request, article) -> dict | None``: the context it adds to the page (for instance a template
to include under the body), or None when it has nothing to add for that article. A part whose content changes
without the article names when it last did as ``modified_at``: the page's Last-Modified is never older.
"""

_VARIANTS = []
_PARTS = []


def register_variant(variant):
    """``variant(slug=...) -> str``: a token made part of the article page's key in the page cache."""
    if variant not in _VARIANTS:
        _VARIANTS.append(variant)


def register_part(part):
    if part not in _PARTS:
        _PARTS.append(part)


def article_variant(**kwargs):
    """The article page's variant: every registered variant's token, joined ("" when none has one)."""
    return ".".join(filter(None, (variant(**kwargs) for variant in _VARIANTS)))


def article_parts(request, article):
    """The context every registered part adds to the article's page."""
    added = {}
    for part in _PARTS:
        added.update(part(request, article) or {})
    return added

"""What other apps add to the back office, registered from their ``AppConfig.ready()`` (the content knows none
of them), as ``articles.public.parts`` does for readers' pages: panels on an article's change page
(``register_article_panel``: a live page's posting form and its updates) and on the desk
(``register_desk_panel``: the live pages in progress).

A panel is a function returning None when it has nothing to show, or a dict naming the ``template`` to include
and the context it needs. An article panel is ``panel(request, article)`` and is shown under the article's form,
outside it: nothing in a panel submits the article's form or loses its unsaved edits; its ``jump`` (``href`` and
``label``), when given, is a link to it among the tools at the top of the page. A desk panel is
``panel(request)`` and is shown above the desk's blocks.
"""

_ARTICLE_PANELS = []
_DESK_PANELS = []


def register_article_panel(panel):
    if panel not in _ARTICLE_PANELS:
        _ARTICLE_PANELS.append(panel)


def register_desk_panel(panel):
    if panel not in _DESK_PANELS:
        _DESK_PANELS.append(panel)


def article_panels(request, article):
    """The panels shown on ``article``'s change page, in the order they were registered."""
    if article is None:
        return []
    return [shown for panel in _ARTICLE_PANELS if (shown := panel(request, article))]


def desk_panels(request):
    return [shown for panel in _DESK_PANELS if (shown := panel(request))]

import pytest

from articles.site import newsroom_pages
from articles.site.newsroom_pages import PageLink

POLICIES = [
    PageLink("About us", "/about/us/", "about"),
    PageLink("Ethics policy", "/about/ethics/", "ethics", "ethicsPolicy"),
    PageLink("Corrections policy", "/about/corrections/", "corrections", "correctionsPolicy"),
    PageLink("Masthead", "/about/masthead/", "masthead", "masthead", in_footer=False),
    PageLink("Contact and tips", "/about/contact/", "contact", "actionableFeedbackPolicy"),
]


@pytest.fixture
def policies(monkeypatch):
    """The newsroom's pages as the app that keeps them would register them (``newsroom_pages``), for this test
    only: the list the provider gives can be changed by the test."""
    shown = list(POLICIES)
    monkeypatch.setattr(newsroom_pages, "_PROVIDERS", [])
    newsroom_pages.register(lambda: list(shown))
    return shown

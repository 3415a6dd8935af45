"""Words longer than a phone's screen (a German compound, an unbroken name) in what issue 33 shows readers: a
newsroom page's title (its page, the index, every footer) and an author's role and subjects stay within the
screen, wrapped, instead of widening the page."""

import pytest

from about.tests.factories import make_page
from articles.tests.factories import make_article, make_author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG = "Redaktionsverantwortlichkeitsundkorrekturrichtlinienuebersichtsseite"


def test_long_words_wrap_within_a_phones_screen(browser, live_server):
    """The page, the index, the footer and the author page fit 390 pixels with a 68-letter word in each."""
    page = make_page(title=f"{LONG} L7", summary=f"{LONG} summary")
    author = make_author("Lena Hoffmann", job_title=f"Chef{LONG}", expertise=f"Sicherheits{LONG}\nShort")
    make_article(title="Ferries run late", authors=[author])
    browser.set_window_size(390, 844)
    try:
        for path in (page.get_absolute_url(), "/about/", author.get_absolute_url(), "/"):
            browser.get(live_server.url + path)
            width, viewport = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width <= viewport, path
    finally:
        browser.set_window_size(1280, 900)

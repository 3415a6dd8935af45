"""The desk, the front page's board, sections, the banner form and the site's settings in a browser: axe-core finds
nothing at a desktop's width nor at a phone's, nothing is wider than the phone, and the board's cards move by
keyboard and by drag."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Pin, Section, SiteSettings
from articles.tests.factories import make_article, make_picture
from tests.browsing import arrived, axe_violations, leave, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = [(1440, 900), (390, 844)]


@pytest.fixture
def front():
    """A lead with a picture and three top stories, in order, and a few sections."""
    picture = make_picture(alt="The harbour at dawn")
    Pin.objects.create(article=make_article(title="The lead story", lead_image=picture), place=Pin.Place.LEAD)
    for n in range(3):
        Pin.objects.create(article=make_article(title=f"Top story {n}", dek=f"What happened {n}."), position=n)
    for n, name in enumerate(["News", "Sport", "Culture"]):
        Section.objects.create(name=name, slug=name.lower(), position=n)


def at_both_widths(browser):
    """axe-core's findings and whether the page is wider than the window, at a desktop's width and a phone's."""
    found = {}
    try:
        for width, height in WIDTHS:
            browser.set_window_size(width, height)
            wide = browser.execute_script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            found[width] = (axe_violations(browser, lambda: []), wide)
    finally:
        browser.set_window_size(1280, 900)
    return found


def clean(found):
    return all(violations == [] and not wide for violations, wide in found.values())


def titles(browser, place="top"):
    return [card.text for card in browser.find_elements(By.CSS_SELECTOR, f"[data-place={place}] .board-title")]


def test_the_desk_is_clean_at_both_widths(browser, live_server, console_errors, editor, front):
    sign_in(browser, live_server, editor)
    assert browser.find_element(By.TAG_NAME, "h1").text == "The desk"
    assert not browser.find_elements(By.CSS_SELECTOR, ".app-list, #recent-actions-module, [class^=app-]")
    button = browser.find_element(By.CSS_SELECTOR, ".desk-write")
    assert button.size["height"] >= 44 and button.size["width"] >= 44
    links = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".desk-nav a")]
    assert links[:4] == ["Articles", "Pictures", "Front page", "Banners"]
    assert console_errors() == []
    found = at_both_widths(browser)
    assert clean(found), found
    leave(browser, live_server)


def test_the_board_reorders_by_keyboard_and_by_drag(browser, live_server, console_errors, editor, front):
    sign_in(browser, live_server, editor)
    browser.find_element(By.LINK_TEXT, "Front page").click()
    arrived(browser, reverse("admin:articles_pin_changelist"))
    assert titles(browser) == ["Top story 0", "Top story 1", "Top story 2"]
    assert titles(browser, "lead") == ["The lead story"]
    assert browser.find_element(By.CSS_SELECTOR, "[data-place=lead] .board-thumb img").get_attribute("alt") == ""
    # By keyboard: the "Move down" button of the first card, Enter; the button has the focus again after.
    button = browser.find_element(By.CSS_SELECTOR, "button[aria-label='Move down: Top story 0']")
    button.send_keys(Keys.ENTER)
    arrived(browser, reverse("admin:articles_pin_board") + f"#pin-{Pin.objects.get(article__title='Top story 0').pk}")
    assert titles(browser) == ["Top story 1", "Top story 0", "Top story 2"]
    focused = lambda driver: driver.switch_to.active_element.get_attribute("aria-label")  # noqa: E731
    WebDriverWait(browser, 5).until(lambda driver: focused(driver) == "Move down: Top story 0")
    assert "moved down: 2 of 3 top stories" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    # By drag: ActionChains' drag_and_drop in headless Chromium fires dragstart and dragend but no drop, and no
    # dragover on the target, so the events a drag fires are dispatched as the browser would.
    browser.execute_script(
        """
        const [source, target] = arguments;
        const data = new DataTransfer();
        const at = (el, type) => {
          const box = el.getBoundingClientRect();
          el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data,
                                                clientX: box.left + 10, clientY: box.bottom - 2}));
        };
        at(source, "dragstart"); at(target, "dragenter"); at(target, "dragover"); at(target, "drop");
        at(source, "dragend");
        """,
        *browser.find_elements(By.CSS_SELECTOR, "[data-place=top] .board-card")[0:3:2],
    )
    arrived(browser, reverse("admin:articles_pin_board") + "#board-top")
    assert titles(browser) == ["Top story 0", "Top story 2", "Top story 1"]
    assert "The new order is saved." in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert [pin.article.title for pin in Pin.objects.filter(place="top").order_by("position")] == titles(browser)
    assert console_errors() == []
    found = at_both_widths(browser)
    assert clean(found), found
    leave(browser, live_server)


@pytest.mark.parametrize(
    "page",
    ["admin:articles_section_changelist", "admin:articles_banner_add", "admin:articles_banner_changelist",
     "admin:articles_pin_add", "settings"],
)  # fmt: skip
def test_front_page_and_site_pages_are_clean_at_both_widths(browser, live_server, console_errors, editor, front,
                                                             page):  # fmt: skip
    sign_in(browser, live_server, editor)
    url = (
        reverse("admin:articles_sitesettings_change", args=[SiteSettings.load().pk]) if page == "settings"
        else reverse(page)
    )  # fmt: skip
    browser.get(live_server.url + url)
    arrived(browser, url)
    assert console_errors() == []
    found = at_both_widths(browser)
    assert clean(found), found
    leave(browser, live_server)

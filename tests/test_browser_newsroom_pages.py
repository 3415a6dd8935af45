"""The newsroom's pages in a browser: an editor writes one with the live preview and finds it in the footer; the
form and the revisions pass axe and fit a phone's screen."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from about.models import NewsroomPage
from about.tests.factories import make_page
from tests.browsing import arrived, axe_violations, in_preview, leave, show_preview, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP, PHONE = (1440, 900), (390, 844)


def fits(browser):
    width, viewport = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return width <= viewport


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_editor_writes_a_page_with_the_preview_and_readers_find_it_in_the_footer(
    browser, live_server, console_errors, editor, size
):
    """The body's Markdown shows in the preview as readers will see it; saved, the page is linked from the footer."""
    browser.set_window_size(*size)
    try:
        sign_in(browser, live_server, editor)
        browser.get(f"{live_server.url}/admin/about/newsroompage/add/")
        browser.find_element(By.ID, "id_title").send_keys("Corrections policy")
        browser.find_element(By.ID, "id_body").send_keys("We fix **mistakes**.\n\n## How to ask\n\nWrite to us.")
        if size == PHONE:
            show_preview(browser)
        assert in_preview(browser, "h2", "How to ask") and in_preview(browser, "strong", "mistakes")
        assert axe_violations(browser, console_errors) == [] and fits(browser)
        if size == PHONE:
            show_preview(browser, "Write")
        Select(browser.find_element(By.ID, "id_role")).select_by_visible_text("Corrections policy")
        browser.find_element(By.ID, "id_published").click()
        save = browser.find_element(By.NAME, "_save")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", save)
        save.click()
        arrived(browser, "/admin/about/newsroompage/")
        assert axe_violations(browser, console_errors) == [] and fits(browser)
        page = NewsroomPage.objects.get(role="corrections")
        leave(browser, live_server)
        browser.get(f"{live_server.url}/")
        link = browser.find_element(By.CSS_SELECTOR, "nav.footer-pages a")
        assert (link.text, link.get_attribute("pathname")) == ("Corrections policy", "/about/corrections-policy/")
        browser.get(live_server.url + page.get_absolute_url())
        assert browser.find_element(By.CSS_SELECTOR, ".body h2").text == "How to ask"
        assert axe_violations(browser, console_errors) == [] and fits(browser)
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_revisions_pass_axe_fit_the_screen_and_an_earlier_one_is_restored(
    browser, live_server, console_errors, editor, size
):
    """The history and an earlier revision's form: no axe finding, nothing wider than the screen; Revert saves the
    revision's text over the page as a new revision."""
    page = make_page(title="Masthead", body="The editors.")
    first = page.history.get()
    page.body = "The editors and the desks. " * 20
    page.save()
    browser.set_window_size(*size)
    try:
        sign_in(browser, live_server, editor)
        for path in (f"{page.pk}/history/", f"{page.pk}/history/{first.history_id}/"):
            browser.get(f"{live_server.url}/admin/about/newsroompage/{path}")
            assert axe_violations(browser, console_errors) == [] and fits(browser), path
        revert = browser.find_element(By.NAME, "_save")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", revert)
        revert.click()
        arrived(browser, "/admin/about/newsroompage/")
        page.refresh_from_db()
        assert page.body == "The editors." and page.version == 3
        leave(browser, live_server)
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_stale_save_shows_both_texts_within_the_screen(browser, live_server, console_errors, editor, size):
    """Saved from a page opened before someone else's save: the refusal's table of both values passes axe (every
    rule) and, however long the body, wraps within a phone's screen."""
    page = make_page(title="Ethics policy", body="We check facts before publishing. " * 12)
    browser.set_window_size(*size)
    try:
        sign_in(browser, live_server, editor)
        browser.get(f"{live_server.url}/admin/about/newsroompage/{page.pk}/change/")
        page.body = "Their newer text, with a long address: https://example.org/" + "policy/" * 20
        page.save()
        body = browser.find_element(By.ID, "id_body")
        body.send_keys(" Mine: https://example.org/" + "typed/" * 20)
        save = browser.find_element(By.NAME, "_continue")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", save)
        save.click()
        table = browser.find_element(By.CSS_SELECTOR, "table.stale-values")
        assert "Their newer text" in table.text and "typed/typed/" in table.text
        assert axe_violations(browser, console_errors, every_rule=True) == [] and fits(browser)
        leave(browser, live_server)
    finally:
        browser.set_window_size(1280, 900)

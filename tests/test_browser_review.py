"""The review conversation as a writer and an editor meet it: the send-back note in the story's first screen, the
comparison since the last submission, at 1440×900 and on a 390×844 phone, with axe-core."""

import pytest
from selenium.webdriver.common.by import By

from articles.tests.factories import draft_by, refresh
from articles.workflow import transitions
from tests.browsing import axe_violations, leave, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENS = [(1440, 900), (390, 844)]
NOTE = "Get the mayor on the record before this runs, and check the dues figure against the port's own report."


@pytest.fixture
def sent_back(writer, editor):
    writer.first_name, writer.last_name = "Wendy", "Writer"
    editor.first_name, editor.last_name = "Ana", "Ruiz"
    writer.save()
    editor.save()
    article = draft_by(writer, title="Harbour dues rise", body="The harbour was quiet.\n\nThe mayor said nothing.")
    transitions.apply(article, "submit", writer, comment="Ready, photos to follow.")
    transitions.apply(refresh(article), "send_back", editor, comment=NOTE)
    return article


def fits(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_writer_reads_the_send_back_note_in_the_first_screen(
    browser, live_server, console_errors, writer, sent_back
):
    sign_in(browser, live_server, writer)
    try:
        for width, height in SCREENS:
            browser.set_window_size(width, height)
            browser.get(f"{live_server.url}/admin/articles/article/{sent_back.pk}/change/")
            latest = browser.find_element(By.CSS_SELECTOR, ".review-conversation .conversation-latest")
            top = browser.execute_script("return arguments[0].getBoundingClientRect().top", latest)
            shown = browser.execute_script("return window.innerHeight")  # the screen less the browser's own bars
            assert 0 < top <= min(height, shown) - 60, (width, top, shown)  # its top and a line of it
            assert "For you" in latest.text and "Ana Ruiz sent it back to draft" in latest.text
            assert NOTE in latest.text and latest.is_displayed()
            assert fits(browser), width
            assert axe_violations(browser, console_errors) == [], width
    finally:
        browser.set_window_size(1280, 900)
    leave(browser, live_server)


def test_the_editor_compares_since_the_submission(browser, live_server, console_errors, writer, editor, sent_back):
    article = refresh(sent_back)
    article.body = "The harbour was loud.\n\nThe mayor said nothing."
    article._history_user = writer
    article.save()
    transitions.apply(refresh(article), "submit", writer, comment="The mayor is quoted now.")
    sign_in(browser, live_server, editor)
    try:
        for width, height in SCREENS:
            browser.set_window_size(width, height)
            browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/revisions/")
            summary = browser.find_element(By.ID, "comparison-title").text
            assert summary.startswith("Changes by Wendy Writer since Wendy Writer submitted it at")
            assert browser.find_element(By.CSS_SELECTOR, ".word-diff del").text == "quiet"
            assert browser.find_element(By.CSS_SELECTOR, ".word-diff ins").text == "loud"
            button = browser.find_element(By.CSS_SELECTOR, ".compare-button").rect
            assert button["height"] >= 44 and button["width"] >= 44
            assert fits(browser), width
            assert axe_violations(browser, console_errors) == [], width
    finally:
        browser.set_window_size(1280, 900)
    leave(browser, live_server)

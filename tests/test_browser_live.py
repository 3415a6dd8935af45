import pytest
from django.db import transaction
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.tests.factories import change_url
from live import stream
from live.public import poll
from live.tests.factories import make_live_article
from tests.browsing import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The page's script waits 15 to 30 seconds between polls; here every wait is cut short, nothing else changes.
HURRY = "(() => { const wait = window.setTimeout; window.setTimeout = (f, ms) => wait(f, Math.min(ms || 0, 300)); })();"


def stream_ids(browser):
    """The ids of the updates shown, read at once (the script replaces elements while a test reads them)."""
    return browser.execute_script("return [...document.querySelectorAll('.live-stream > li')].map(li => li.id)")


def text_of(browser, element_id):
    return browser.execute_script("return (document.getElementById(arguments[0]) || {}).textContent", element_id)


def stream_top(browser):
    return browser.execute_script("return document.querySelector('.live-stream').getBoundingClientRect().top")


@pytest.fixture
def hurried(browser, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 600  # every poll through the page cache, as in production
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HURRY})
    yield browser
    browser.get("about:blank")  # the page stops polling before the next test's data exists
    browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


@pytest.mark.parametrize("width", [1280, 390])
def test_new_edited_and_deleted_updates_reach_an_open_page(hurried, live_server, console_errors, editor, width):
    """A new update waits behind an "N new updates" button that moves nothing; edits and deletions show in place."""
    browser = hurried
    browser.set_window_size(width, 900)
    article = make_live_article(slug="count-night")
    first = stream.post(article, editor, body="Counting starts.")
    wrong = stream.post(article, editor, body="A wrong figure-W1.")
    browser.get(f"{live_server.url}/articles/count-night/")
    top = stream_top(browser)
    new = stream.post(article, editor, body="Turnout is up-N1.", headline="Turnout")
    button = WebDriverWait(browser, 10).until(
        lambda b: next(
            (e for e in b.find_elements(By.CSS_SELECTOR, "button.live-notice-button") if e.is_displayed()), None
        )  # fmt: skip
    )
    assert button.text == "Show 1 new update" and stream_top(browser) == top
    assert "Turnout is up-N1" not in browser.find_element(By.CSS_SELECTOR, ".live-stream").text
    status = browser.find_element(By.CSS_SELECTOR, ".live [role=status]")
    assert status.get_attribute("textContent").startswith("1 new update")
    stream.edit(first, editor, version=1, body="Counting started late-E1.")
    stream.delete(wrong, editor, version=1)
    WebDriverWait(browser, 10).until(lambda b: f"update-{wrong.pk}" not in stream_ids(b))
    WebDriverWait(browser, 10).until(lambda b: "started late-E1" in text_of(b, f"update-{first.pk}"))
    assert console_errors() == []
    assert axe_violations(browser, console_errors) == []
    button.click()
    assert stream_ids(browser) == [f"update-{new.pk}", f"update-{first.pk}"]
    assert not button.is_displayed() and browser.switch_to.active_element.get_attribute("id") == f"update-{new.pk}"
    stream.edit(first, editor, version=2, pinned=True)
    WebDriverWait(browser, 10).until(lambda b: stream_ids(b) == [f"update-{first.pk}", f"update-{new.pk}"])
    assert console_errors() == []


def test_a_page_left_far_behind_asks_to_be_reloaded(hurried, live_server, console_errors, editor, monkeypatch):
    """More changes than one poll answer holds: the page says to reload rather than show a partial stream."""
    monkeypatch.setattr(poll, "WINDOW", 2)
    article = make_live_article(slug="long-night")
    stream.post(article, editor, body="Hour one.")
    browser = hurried
    browser.get(f"{live_server.url}/articles/long-night/")
    with transaction.atomic():  # all at once: no poll in between sees only some of them
        for hour in range(2, 6):
            stream.post(article, editor, body=f"Hour {hour}.")
    link = WebDriverWait(browser, 10).until(
        lambda b: next((e for e in b.find_elements(By.CSS_SELECTOR, "a.live-notice-button") if e.is_displayed()), None)
    )
    assert "reload" in link.text and link.get_attribute("href").endswith("/articles/long-night/")
    assert console_errors() == []


@pytest.mark.parametrize("width", [1280, 390])
def test_an_update_posted_in_the_admin_reaches_a_reader_page_left_open(
    hurried, second_browser, live_server, console_errors, editor, width
):
    """The desk posts from the article's change page, without leaving it; the reader's open page offers the
    update without a reload."""
    reader, desk = hurried, second_browser
    for window in (reader, desk):
        window.set_window_size(width, 900)
    article = make_live_article(slug="storm-watch", title="Storm watch")
    stream.post(article, editor, body="Wind rising.")
    reader.get(f"{live_server.url}/articles/storm-watch/")

    sign_in(desk, live_server, editor)
    desk.get(live_server.url + change_url(article))
    title = desk.find_element(By.ID, "id_title")
    title.send_keys(" (unsaved)")
    desk.find_element(By.ID, f"id_live_post_{article.pk}_body").send_keys("Power is out on the quay-A1.")
    post = desk.find_element(By.CSS_SELECTOR, "form.live-post button[type=submit]")
    desk.execute_script("arguments[0].scrollIntoView({block: 'center'})", post)
    post.click()
    WebDriverWait(desk, 10).until(lambda b: "Power is out on the quay-A1." in b.find_element(By.ID, "live-panel").text)
    assert title.get_attribute("value") == "Storm watch (unsaved)"  # the article's form was neither sent nor left
    desk_errors = lambda: [entry["message"] for entry in desk.get_log("browser") if entry["level"] == "SEVERE"]  # noqa: E731
    assert axe_violations(desk, desk_errors) == []

    button = WebDriverWait(reader, 15).until(
        lambda b: next(
            (e for e in b.find_elements(By.CSS_SELECTOR, "button.live-notice-button") if e.is_displayed()), None
        )  # fmt: skip
    )
    button.click()
    assert "Power is out on the quay-A1." in reader.find_element(By.CSS_SELECTOR, ".live-stream").text
    assert console_errors() == []
    assert axe_violations(reader, console_errors) == []


def key_events(browser):
    """The key events' summary as (link, text) pairs, read at once."""
    return browser.execute_script(
        "return [...document.querySelectorAll('.live-key-events li > a')].map(a => [a.getAttribute('href'),"
        " a.textContent.replace(/\\s+/g, ' ').trim()])"
    )


def count_line(browser):
    return browser.execute_script("return document.querySelector('.live-count').textContent")


def test_the_key_events_summary_and_the_count_follow_the_stream(hurried, live_server, console_errors, editor):
    """A deleted key event leaves the summary with its update; a new one joins it when the button shows its update;
    the count says what the stream holds, less what waits behind the button."""
    browser = hurried
    article = make_live_article(slug="vote-night")
    dropped = stream.post(article, editor, body="Early lead.", headline="Early lead-K1", key_event=True)
    stream.post(article, editor, body="Queues at the doors.")
    browser.get(f"{live_server.url}/articles/vote-night/")
    assert [href for href, _ in key_events(browser)] == [f"#update-{dropped.pk}"] and count_line(browser) == "2 updates"
    top = stream_top(browser)
    new = stream.post(article, editor, body="Polls have closed.", headline="Polls close-K2", key_event=True)
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "button.live-notice-button").is_displayed()
    )
    assert [text for _, text in key_events(browser)][0].endswith("Early lead-K1") and stream_top(browser) == top
    assert count_line(browser) == "2 updates"
    stream.delete(dropped, editor, version=1)
    WebDriverWait(browser, 10).until(lambda b: key_events(b) == [])
    assert browser.find_elements(By.CSS_SELECTOR, ".live-key-events") == [] and count_line(browser) == "1 update"
    browser.find_element(By.CSS_SELECTOR, "button.live-notice-button").click()
    ((href, text),) = key_events(browser)
    assert href == f"#update-{new.pk}" and text.endswith("Polls close-K2") and count_line(browser) == "2 updates"
    assert browser.find_elements(By.CSS_SELECTOR, f".live-stream > li{href}")
    assert console_errors() == []
    assert axe_violations(browser, console_errors) == []

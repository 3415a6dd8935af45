"""The content API's docs page works in a browser under the site's Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.tests.factories import make_article
from tests.browsing import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_docs_page_lists_every_endpoint_and_tries_one(browser, live_server, console_errors):
    """Swagger UI loads from the site's own files with no refusal by the CSP, lists the endpoints, and a call
    made from it is answered."""
    make_article(title="Tried from the docs")
    browser.get(live_server.url + "/api/v1/docs")
    paths = WebDriverWait(browser, 15).until(
        lambda b: [e.get_attribute("data-path") for e in b.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")]
    )
    assert "/api/v1/articles" in paths and "/api/v1/pictures/{picture_id}" in paths
    browser.find_element(By.CSS_SELECTOR, "#operations-articles-api_endpoints_articles_article_list button").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".try-out__btn"))[0].click()
    browser.find_element(By.CSS_SELECTOR, ".execute").click()
    WebDriverWait(browser, 10).until(lambda b: "Tried from the docs" in b.find_element(By.TAG_NAME, "body").text)
    assert console_errors() == []


def test_the_docs_page_passes_every_axe_rule_at_a_desktops_and_a_phones_width(browser, live_server, console_errors):
    """The docs page, and an endpoint opened and tried on it, pass all of axe-core's rules (language, landmark,
    headings in order, no link inside a button, contrast) and are no wider than the screen."""
    make_article(title="Tried from the docs")
    found = {}
    for width, height in ((1440, 900), (390, 844)):
        browser.set_window_size(width, height)
        browser.get(live_server.url + "/api/v1/docs")
        WebDriverWait(browser, 15).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
        found[(width, "page")] = axe_violations(browser, console_errors, every_rule=True)
        browser.find_element(By.CSS_SELECTOR, "#operations-articles-api_endpoints_articles_article_list button").click()
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".try-out__btn"))[0].click()
        browser.find_element(By.CSS_SELECTOR, ".execute").click()
        WebDriverWait(browser, 10).until(lambda b: "Tried from the docs" in b.find_element(By.TAG_NAME, "body").text)
        found[(width, "tried")] = axe_violations(browser, console_errors, every_rule=True)
        wider = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        found[(width, "wider by")] = wider
    browser.set_window_size(1280, 900)
    assert found == {
        (w, what): 0 if what == "wider by" else [] for w in (1440, 390) for what in ("page", "tried", "wider by")
    }

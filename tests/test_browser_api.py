"""The content API's docs page works in a browser under the site's Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


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

import pytest
from selenium.webdriver.common.by import By

from articles.tests.factories import make_article, make_author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_a_headline_to_the_article(browser, live_server, console_errors):
    """From the home page a reader clicks a headline and lands on the article, with no console error."""
    make_article(title="Ferry service resumes", body="The **harbour** reopened.", authors=[make_author("Amy Lee")])
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Ferry service resumes").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ferry service resumes"
    assert browser.find_element(By.CSS_SELECTOR, ".body strong").text == "harbour"
    assert console_errors() == []

"""The posting panel on a phone, in Chromium: the article form's action bar, fixed at the foot of the screen,
never covers the panel's button (a tap there would save the article instead of posting the update)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.tests.factories import change_url
from live import stream
from live.tests.factories import make_live_article
from tests.browsing import sign_in
from tests.conftest import start_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AT_THE_BAR = """
var button = arguments[0], bar = document.getElementById("action-bar");
var box = button.getBoundingClientRect();
window.scrollBy(0, box.top + box.height / 2 - (bar.getBoundingClientRect().top + 20));
box = button.getBoundingClientRect();
return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === button;
"""


@pytest.fixture
def phone():
    driver = start_chromium()
    driver.set_window_size(390, 844)
    yield driver
    driver.quit()


def test_the_post_button_stays_above_the_action_bar_on_a_phone(phone, live_server, editor):
    """Scrolled to where the bar would cover it, the button is held just above the bar and posts the update."""
    article = make_live_article(slug="harbour-watch", title="Harbour watch")
    stream.post(article, editor, body="Tide rising.")
    sign_in(phone, live_server, editor)
    phone.get(live_server.url + change_url(article))
    phone.find_element(By.ID, f"id_live_post_{article.pk}_body").send_keys("The quay is closed-P7.")
    post = phone.find_element(By.CSS_SELECTOR, "form.live-post button[type=submit]")
    assert phone.find_element(By.ID, "action-bar").value_of_css_property("position") == "fixed"
    assert phone.execute_script(AT_THE_BAR, post)
    post.click()
    WebDriverWait(phone, 10).until(lambda b: "The quay is closed-P7." in b.find_element(By.ID, "live-panel").text)

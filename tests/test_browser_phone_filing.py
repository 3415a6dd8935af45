"""A reporter files a story from a phone: on a 390×844 screen, from the desk to "Submit for review", a headline,
a dek, three paragraphs and one photo take six taps besides the typing, the primary action is on screen at every
step and a 44-pixel target, and nothing on the page is wider than the screen."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Image
from articles.tests.factories import picture_bytes
from tests.browsing import arrived, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = (390, 844)
PRIMARY = """const node = document.querySelector('#action-bar .button.default');
if (!node) return null;
const box = node.getBoundingClientRect();
return {name: node.textContent.trim(), top: box.top, bottom: box.bottom, left: box.left, right: box.right,
        width: box.width, height: box.height, viewport: [window.innerWidth, window.innerHeight]};"""
# Every element drawn on the page that reaches past the screen's edges, unless a box that scrolls by itself
# holds it (the admin's header row of sections, a wide table in its own scroller).
OVERFLOWING = """const width = document.documentElement.clientWidth;
function scrolled(node) {
  for (let up = node.parentElement; up; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) && up !== document.body
        && up !== document.documentElement) return true;
  }
  return false;
}
return [...document.querySelectorAll('body *')].filter(node => {
  const box = node.getBoundingClientRect();
  if (!box.width || !box.height || getComputedStyle(node).visibility === 'hidden') return false;
  return (box.right > width + 1 || box.left < -1) && !scrolled(node);
}).map(node => {
  const box = node.getBoundingClientRect();
  return `${node.tagName.toLowerCase()}#${node.id} ${node.getAttribute('class') || ''} ${box.left}..${box.right}`;
});"""


def check_the_screen(browser, step):
    """At this step the primary action is in view and big enough to tap, and nothing is wider than the screen."""
    primary = browser.execute_script(PRIMARY)
    if primary is not None:  # the desk has none: its primary link is checked by the desk's own tests
        width, height = primary["viewport"]
        assert (
            primary["top"] >= 0 and primary["bottom"] <= height and 0 <= primary["left"] <= primary["right"] <= width
        ), (step, primary)
        assert primary["width"] >= 44 and primary["height"] >= 44, (step, primary)
    assert browser.execute_script(OVERFLOWING) == [], step
    return primary


def test_a_reporter_files_a_story_with_a_photo_from_a_phone_in_six_taps(
    browser, live_server, console_errors, writer, tmp_path
):
    photo = tmp_path / "quay.jpg"
    photo.write_bytes(picture_bytes((1600, 1200)))
    sign_in(browser, live_server, writer)
    browser.set_window_size(*PHONE)
    taps = 0
    try:
        check_the_screen(browser, "the desk")
        browser.find_element(By.LINK_TEXT, "Write an article").click()
        taps += 1
        arrived(browser, "/admin/articles/article/add/")
        primary = check_the_screen(browser, "a new story")
        assert primary["name"] == "Submit for review"

        for field, text in [
            ("id_title", "Ferry quay approved"),
            ("id_dek", "Two berths and a waiting room by next summer."),
            ("id_body", "The harbour board voted on Tuesday.\n\nWork starts in March.\n\nThe quay opens next summer."),
        ]:
            box = browser.find_element(By.ID, field)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.click()  # the tap that puts the cursor in the field
            taps += 1
            box.send_keys(text)
            check_the_screen(browser, field)

        # "Add a photo" opens the phone's own picker: one tap, and the photo chosen there.
        browser.find_element(By.ID, "picture-photo-file").send_keys(str(photo))
        taps += 1
        status = browser.find_element(By.CSS_SELECTOR, ".picture-picker-status")
        WebDriverWait(browser, 20).until(lambda b: "Inserted picture" in status.text)
        check_the_screen(browser, "the photo")
        picture = Image.objects.get()
        assert f"image:{picture.pk}" in browser.find_element(By.ID, "id_body").get_attribute("value")

        browser.find_element(By.CSS_SELECTOR, "#action-bar .button.default").click()
        taps += 1
        WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success"))
        article = Article.objects.get()
        assert browser.current_url.endswith(f"/admin/articles/article/{article.pk}/change/")
        assert article.status == Article.Status.REVIEW
        assert article.title == "Ferry quay approved" and article.body.replace("\r\n", "\n").count("\n\n") == 3
        assert f"image:{picture.pk}" in article.body
        assert [byline.author.user for byline in article.bylines.all()] == [writer]
        check_the_screen(browser, "submitted")
        assert axe_violations(browser, console_errors) == []
        print(f"\nfiled from a 390×844 phone in {taps} taps besides typing")
        assert taps <= 6
    finally:
        browser.set_window_size(1280, 900)
        browser.delete_all_cookies()

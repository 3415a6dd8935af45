"""The article form's action bar in a real browser, under the site's Content-Security-Policy: every workflow
action in view on a long story at 1440×900, the primary one on screen and a 44-pixel target on a 390×844 phone,
the editor back on the story after each action, and the publish step as a dialog that axe-core finds clean."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Section
from articles.tests.factories import draft_by, make_picture
from articles.workflow import transitions
from tests.browsing import arrived, axe_violations, leave, open_groups, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG_BODY = "\n\n".join(f"Paragraph {n} of the council's budget story, with enough words to wrap." for n in range(60))
BOXES = """return Array.from(document.querySelectorAll(arguments[0])).map(function (node) {
  var box = node.getBoundingClientRect();
  return {name: node.textContent.trim(), top: Math.round(box.top), bottom: Math.round(box.bottom),
          left: Math.round(box.left), right: Math.round(box.right),
          width: Math.round(box.width), height: Math.round(box.height)};
});"""
VIEWPORT = "return [window.innerWidth, window.innerHeight, document.documentElement.scrollHeight]"
TOO_WIDE = "return document.documentElement.scrollWidth > document.documentElement.clientWidth"


def boxes(browser, selector):
    return browser.execute_script(BOXES, selector)


def in_view(browser, box):
    width, height, _ = browser.execute_script(VIEWPORT)
    return box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= height and box["right"] <= width


def to_the_bottom(browser):
    browser.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
    at_the_end = "return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"
    WebDriverWait(browser, 5).until(lambda b: b.execute_script(at_the_end))


def messages(browser):
    return [node.text for node in browser.find_elements(By.CSS_SELECTOR, ".messagelist li")]


def test_every_action_is_in_view_on_a_long_story_at_1440(browser, live_server, console_errors, writer, editor):
    """An editor reviewing a 60-paragraph story reaches Publish, Schedule and Send back without scrolling, and
    still sees them at the bottom of the form; Tab reaches the bar before the fields."""
    story = transitions.apply(draft_by(writer, body=LONG_BODY), "submit", writer)
    sign_in(browser, live_server, editor)
    browser.set_window_size(1440, 900)
    try:
        browser.get(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        width, height, page = browser.execute_script(VIEWPORT)
        top = boxes(browser, "#action-bar .action-buttons button")
        print(f"\n1440×900 (viewport {width}×{height}, page {page} px high), at the top: {top}")
        assert page > 2 * height
        assert [box["name"] for box in top] == ["Save", "Publish", "Schedule", "Send back to draft"]
        assert all(in_view(browser, box) and box["height"] >= 44 and box["width"] >= 44 for box in top)
        to_the_bottom(browser)
        bottom = boxes(browser, "#action-bar .action-buttons button")
        print(f"1440×900, scrolled to the bottom: {bottom}")
        assert all(in_view(browser, box) for box in bottom)
        browser.execute_script("window.scrollTo(0, 0); document.activeElement.blur()")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "Skip to main content"
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        presses = 0
        while presses < 20 and not browser.execute_script("return !!document.activeElement.closest('#action-bar')"):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            presses += 1
        print(f"Tab presses from the skip link to the bar: {presses}")
        assert presses <= 5
        assert browser.switch_to.active_element.text == "Save"
        assert console_errors() == []
    finally:
        browser.set_window_size(1280, 900)
        leave(browser, live_server)


def test_on_a_phone_the_primary_action_stays_on_screen_and_submit_lands_on_the_story(
    browser, live_server, console_errors, writer
):
    """At 390×844 Submit is a 44-pixel target along the bottom of the screen, at the top of a long story and
    at its end; nothing is wider than the screen; pressed, it leaves the writer on the story with the news."""
    story = draft_by(writer, body=LONG_BODY)
    sign_in(browser, live_server, writer)
    browser.set_window_size(390, 844)
    try:
        path = f"/admin/articles/article/{story.pk}/change/"
        browser.get(live_server.url + path)
        width, height, page = browser.execute_script(VIEWPORT)
        (primary,) = boxes(browser, "#action-bar .button.default")
        print(f"\n390×844 (viewport {width}×{height}, page {page} px high), at the top: {primary}")
        assert primary["name"] == "Submit for review" and in_view(browser, primary)
        assert primary["width"] >= 44 and primary["height"] >= 44
        assert not browser.execute_script(TOO_WIDE)
        to_the_bottom(browser)
        (primary,) = boxes(browser, "#action-bar .button.default")
        print(f"390×844, scrolled to the bottom: {primary}")
        assert in_view(browser, primary)
        assert not browser.execute_script(TOO_WIDE)
        browser.find_element(By.CSS_SELECTOR, "#action-bar .button.default").click()
        arrived(browser, path)
        WebDriverWait(browser, 10).until(lambda b: messages(b))
        assert messages(browser) == ["Submitted for review. The desk has been told."]
        assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW
        assert console_errors() == []
    finally:
        browser.set_window_size(1280, 900)
        leave(browser, live_server)


def test_the_publish_step_shows_what_readers_will_see_and_confirm_publishes(
    browser, live_server, console_errors, writer, editor
):
    """Publish opens the step as a dialog: section, tags, the card's crop of the lead picture, the share card,
    the checklist; axe-core finds nothing wrong with the form, nor with the step open, at either width; Confirm
    publishes and leaves the editor on the story."""
    picture = make_picture((1600, 900), alt="The new ferry at the quay")
    story = draft_by(writer, title="Ferry returns", dek="The crossing reopens on Monday.", lead_image=picture)
    story.tags.set(["Coast", "Ferries"])
    Article.objects.filter(pk=story.pk).update(section=Section.objects.create(name="Harbour", position=1))
    sign_in(browser, live_server, editor)
    browser.set_window_size(1440, 900)
    try:
        path = f"/admin/articles/article/{story.pk}/change/"
        browser.get(live_server.url + path)
        for width, height in ((1440, 900), (390, 844)):
            browser.set_window_size(width, height)
            browser.find_element(By.CSS_SELECTOR, ".action-more summary").click()  # Delete and the rest, open
            found = axe_violations(browser, console_errors)
            print(f"axe on the form with the bar's More open at {width}×{height}: {len(found)} violations")
            assert found == [] and not browser.execute_script(TOO_WIDE)
            browser.find_element(By.CSS_SELECTOR, ".action-more summary").click()
        browser.set_window_size(1440, 900)
        browser.find_element(By.CSS_SELECTOR, "#action-bar button[value=publish]").click()
        arrived(browser, path)
        dialog = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, "dialog#action-step"))
        assert browser.execute_script("return arguments[0].matches(':modal')", dialog)
        assert dialog.find_element(By.CSS_SELECTOR, ".step-section").text == "Harbour"
        assert dialog.find_element(By.CSS_SELECTOR, ".step-tags").text == "Coast, Ferries"
        assert dialog.find_element(By.CSS_SELECTOR, ".step-ready").text == "Nothing missing."
        assert dialog.find_element(By.CSS_SELECTOR, ".share-title").text == "Ferry returns"
        assert dialog.find_element(By.CSS_SELECTOR, ".share-description").text == "The crossing reopens on Monday."
        loaded = "return arguments[0].complete && arguments[0].naturalWidth"
        card = dialog.find_element(By.CSS_SELECTOR, ".step-card-image img")
        share = dialog.find_element(By.CSS_SELECTOR, ".share-card img")
        WebDriverWait(browser, 10).until(lambda b: b.execute_script(loaded, card) and b.execute_script(loaded, share))
        (crop,) = boxes(browser, ".step-card-image")
        print(f"\nthe card crop at 1440: {crop['width']}×{crop['height']}; share image {share.size}")
        assert abs(crop["width"] / crop["height"] - 1.5) < 0.02  # the card's 3:2 frame
        assert "social" in share.get_dom_attribute("src")
        assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT  # nothing saved yet
        found = axe_violations(browser, console_errors)
        print(f"axe with the step open at 1440×900: {len(found)} violations")
        assert found == []
        browser.set_window_size(390, 844)
        assert not browser.execute_script(TOO_WIDE)
        (confirm,) = boxes(browser, "#action-step .step-confirm")
        print(f"the step's Confirm at 390×844: {confirm}")
        assert confirm["height"] >= 44 and in_view(browser, confirm)
        found = axe_violations(browser, console_errors)
        print(f"axe with the step open at 390×844: {len(found)} violations")
        assert found == []
        browser.set_window_size(1440, 900)
        browser.find_element(By.CSS_SELECTOR, "#action-step .step-confirm").click()
        arrived(browser, path)
        WebDriverWait(browser, 10).until(lambda b: messages(b))
        assert messages(browser) == ["Published: readers see it now."]
        assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
        assert console_errors() == []
    finally:
        browser.set_window_size(1280, 900)
        leave(browser, live_server)


def test_withdrawing_shows_the_public_note_in_the_dialog_then_goes_out(
    browser, live_server, console_errors, writer, editor
):
    """Withdraw opens the same dialog with the exact note readers will see; confirmed, the story is withdrawn
    and the editor is back on it."""
    story = transitions.apply(draft_by(writer, title="Survey figures"), "publish", editor)
    sign_in(browser, live_server, editor)
    try:
        path = f"/admin/articles/article/{story.pk}/change/"
        browser.get(live_server.url + path)
        open_groups(browser, "Publishing")
        browser.find_element(By.ID, "id_withdrawal_note").send_keys("Withdrawn: the survey figures were wrong.")
        browser.find_element(By.CSS_SELECTOR, "#action-bar button[value=withdraw]").click()
        arrived(browser, path)
        dialog = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, "dialog#action-step"))
        assert browser.execute_script("return arguments[0].matches(':modal')", dialog)
        assert dialog.find_element(By.CSS_SELECTOR, ".public-note").text == "Withdrawn: the survey figures were wrong."
        assert axe_violations(browser, console_errors) == []
        assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED
        dialog.find_element(By.CSS_SELECTOR, "button[value=withdraw]").click()
        arrived(browser, path)
        WebDriverWait(browser, 10).until(lambda b: messages(b))
        assert messages(browser) == ["Withdrawn: its address now answers “Gone” with your public note."]
        assert Article.objects.get(pk=story.pk).status == Article.Status.WITHDRAWN
        assert console_errors() == []
    finally:
        leave(browser, live_server)


@pytest.mark.parametrize("action", ["publish", "withdraw"])
def test_enter_after_not_yet_saves_and_never_confirms_the_step(
    browser, live_server, console_errors, writer, editor, action
):
    """Closing the step with "Not yet" and pressing Enter in the headline saves the form, as Enter always does:
    the story is neither published nor withdrawn."""
    story = draft_by(writer, title="Survey figures", dek="The figures were revised.")
    if action == "withdraw":
        story = transitions.apply(story, "publish", editor)
    else:
        story = transitions.apply(story, "submit", writer)
    status = Article.objects.get(pk=story.pk).status
    sign_in(browser, live_server, editor)
    try:
        path = f"/admin/articles/article/{story.pk}/change/"
        browser.get(live_server.url + path)
        if action == "withdraw":
            open_groups(browser, "Publishing")
            browser.find_element(By.ID, "id_withdrawal_note").send_keys("Withdrawn: the figures were wrong.")
        browser.find_element(By.CSS_SELECTOR, f"#action-bar button[value={action}]").click()
        arrived(browser, path)
        dialog = WebDriverWait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, "dialog#action-step"))
        dialog.find_element(By.CSS_SELECTOR, ".step-close").click()
        WebDriverWait(browser, 5).until(lambda b: not dialog.get_attribute("open"))
        browser.find_element(By.ID, "id_title").send_keys(" again", Keys.ENTER)
        arrived(browser, path)
        WebDriverWait(browser, 10).until(lambda b: messages(b))
        stored = Article.objects.get(pk=story.pk)
        assert stored.title == "Survey figures again" and stored.status == status
        assert console_errors() == []
    finally:
        leave(browser, live_server)

"""Pictures in the admin, in headless Chromium under the site's Content-Security-Policy: the one picture chooser
(search, choose, upload in place with progress), the page describing a multi-upload, and the crop previews
beside the focal point; each page without axe-core violations and no wider than a phone."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Image
from articles.tests.factories import make_picture, picture_bytes
from tests.browsing import arrived, axe_violations, leave, open_groups, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = [(1440, 900), (390, 844)]

# A picture drawn in the page and dropped on the open chooser, as a file dragged from the desktop arrives.
DROP_A_PICTURE = """
const canvas = document.createElement("canvas");
canvas.width = 320;
canvas.height = 200;
const context = canvas.getContext("2d");
context.fillStyle = "#c03";
context.fillRect(0, 0, 320, 200);
canvas.toBlob((blob) => {
  const files = new DataTransfer();
  files.items.add(new File([blob], "dropped.png", { type: "image/png" }));
  const drop = new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true });
  document.querySelector("dialog.picture-chooser").dispatchEvent(drop);
}, "image/png");
"""


def checked_at_both_widths(browser, console_errors):
    """axe-core's findings and how much wider than the screen the page is, at a desktop's and a phone's width."""
    found = {}
    try:
        for width, height in WIDTHS:
            browser.set_window_size(width, height)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            found[width] = (axe_violations(browser, console_errors), overflow)
    finally:
        browser.set_window_size(1280, 900)
    return found


def clean(found):
    return {width: ([], 0) for width in found}


def open_chooser(browser, button):
    opener = browser.find_element(By.CSS_SELECTOR, button)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", opener)  # clear of the action bar
    opener.click()
    return WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "dialog.picture-chooser[open] .picture-chooser-status").text
    )


def test_a_lead_picture_chosen_by_its_thumbnail_stays_chosen_through_a_refused_save(
    browser, live_server, console_errors, writer
):
    make_picture(color=(200, 30, 30), alt="Gulls", caption="The old pier")
    wanted = make_picture((1200, 800), alt="Cranes at dawn", caption="The southern breakwater", credit="Staff")
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/article/add/")
    open_groups(browser, "Pictures")
    assert not browser.find_element(By.ID, "id_lead_image").is_displayed()  # the chooser stands in for the number
    open_chooser(browser, ".lead-picture-choose")
    found = checked_at_both_widths(browser, console_errors)  # the article form with the chooser open
    print("article form with the chooser open:", found)
    assert found == clean(found)
    browser.find_element(By.ID, "picture-chooser-q").send_keys("breakwater")
    WebDriverWait(browser, 10).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, ".picture-chooser-results button")) == 1
    )
    choice = browser.find_element(By.CSS_SELECTOR, ".picture-chooser-results button")
    assert "Credit: Staff" in choice.text and "Caption: The southern breakwater" in choice.text
    size = choice.size
    print("a result's size:", size)
    assert size["height"] >= 44
    choice.click()
    card = browser.find_element(By.CSS_SELECTOR, ".lead-picture-card")
    assert f"Picture #{wanted.pk}: Cranes at dawn" in card.text and "Credit: Staff" in card.text
    assert browser.find_element(By.ID, "id_lead_image").get_attribute("value") == str(wanted.pk)
    # Saved without a headline: refused, and the picture is still the one chosen.
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".errornote"))
    assert browser.find_element(By.ID, "id_lead_image").get_attribute("value") == str(wanted.pk)
    open_groups(browser, "Pictures")
    card = browser.find_element(By.CSS_SELECTOR, ".lead-picture-card")
    assert f"Picture #{wanted.pk}: Cranes at dawn" in card.text
    assert browser.find_element(By.CSS_SELECTOR, ".lead-picture-choose").text == "Change"
    found = checked_at_both_widths(browser, console_errors)  # the form with the chosen picture's card
    print("article form with a lead picture:", found)
    assert found == clean(found)
    for button in (".lead-picture-choose", ".lead-picture-remove", ".picture-picker-open"):
        size = browser.find_element(By.CSS_SELECTOR, button).size
        print(button, size)
        assert size["height"] >= 44 and size["width"] >= 44
    assert console_errors() == []
    leave(browser, live_server)


def test_a_picture_uploaded_in_the_chooser_shows_its_progress_and_is_chosen(
    browser, live_server, console_errors, writer, tmp_path
):
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(picture_bytes((1600, 1000), color=(12, 120, 200)))
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/article/add/")
    open_groups(browser, "Pictures")
    open_chooser(browser, ".lead-picture-choose")
    browser.find_element(By.CSS_SELECTOR, ".picture-chooser-details summary").click()
    browser.find_element(By.ID, "picture-chooser-alt").send_keys("Harbour cranes")
    browser.find_element(By.ID, "picture-chooser-credit").send_keys("Staff")
    browser.find_element(By.ID, "picture-chooser-licence").send_keys("staff")
    browser.find_element(By.ID, "picture-chooser-file").send_keys(str(photo))
    status = WebDriverWait(browser, 20).until(
        lambda b: "lead picture" in (text := b.find_element(By.CSS_SELECTOR, ".lead-picture-status").text) and text
    )
    picture = Image.objects.get()
    assert (
        status
        == f"Uploaded harbour.jpg into the library as picture #{picture.pk}. Picture #{picture.pk} is the lead picture."
    )
    assert browser.execute_script("return document.querySelector('.picture-chooser progress').value") == 100
    assert browser.find_element(By.ID, "id_lead_image").get_attribute("value") == str(picture.pk)
    assert (picture.alt, picture.credit, picture.licence, picture.uploaded_by) == (
        "Harbour cranes",
        "Staff",
        "staff",
        writer,
    )
    assert "Harbour cranes" in browser.find_element(By.CSS_SELECTOR, ".lead-picture-card").text
    # A picture dropped on the chooser opened under the body goes into the library and into the text.
    open_chooser(browser, ".picture-picker-open")
    browser.execute_script(DROP_A_PICTURE)
    status = WebDriverWait(browser, 20).until(
        lambda b: "Inserted" in (text := b.find_element(By.CSS_SELECTOR, ".picture-picker-status").text) and text
    )
    dropped = Image.objects.exclude(pk=picture.pk).get()
    assert status.startswith(f"Uploaded dropped.png into the library as picture #{dropped.pk}.")
    assert f"![](image:{dropped.pk})" in browser.find_element(By.ID, "id_body").get_attribute("value")
    assert console_errors() == []
    leave(browser, live_server)


def test_a_multi_upload_is_described_on_one_page(browser, live_server, console_errors, writer, tmp_path):
    files = []
    for number, colour in enumerate([(10, 100, 10), (100, 10, 10)]):
        files.append(tmp_path / f"pier-{number}.jpg")
        files[-1].write_bytes(picture_bytes(color=colour))
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/image/upload/")
    found = checked_at_both_widths(browser, console_errors)
    print("upload page:", found)
    assert found == clean(found)
    browser.find_element(By.ID, "id_files").send_keys("\n".join(str(path) for path in files))
    browser.find_element(By.ID, "id_credit").send_keys("Staff")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: "/upload/describe/" in b.current_url)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".describe-picture")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, ".describe-picture .library-flag")) == 2
    found = checked_at_both_widths(browser, console_errors)
    print("describe page:", found)
    assert found == clean(found)
    browser.find_element(By.ID, "id_pictures-0-alt").send_keys("A green pier")
    browser.find_element(By.ID, "id_pictures-1-alt").send_keys("A red pier")
    browser.find_element(By.ID, "id_pictures-1-caption").send_keys("At low tide")
    save = browser.find_element(By.CSS_SELECTOR, ".describe-submit input[type=submit]")
    print("save button:", save.size)
    save.click()
    arrived(browser, "/admin/articles/image/")
    assert "2 picture(s) described." in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert sorted(Image.objects.values_list("alt", "caption", "credit")) == [
        ("A green pier", "", "Staff"),
        ("A red pier", "At low tide", "Staff"),
    ]
    assert console_errors() == []
    leave(browser, live_server)


def test_the_crop_previews_follow_the_focal_point(browser, live_server, console_errors, writer):
    picture = make_picture((1200, 800), alt="Cranes at dawn", caption="The southern breakwater")
    make_picture(color=(9, 9, 9), caption="No alt text yet")
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/image/")
    found = checked_at_both_widths(browser, console_errors)
    print("library list:", found)
    assert found == clean(found)
    browser.get(f"{live_server.url}/admin/articles/image/{picture.pk}/change/")
    found = checked_at_both_widths(browser, console_errors)
    print("picture page:", found)
    assert found == clean(found)
    position = "return getComputedStyle(document.querySelector(arguments[0])).objectPosition"
    assert browser.execute_script(position, ".crop-social img") == "50% 50%"
    image = browser.find_element(By.CSS_SELECTOR, ".focal-picker img")
    width, height = image.size["width"], image.size["height"]
    ActionChains(browser).move_to_element_with_offset(image, width // 4, -height // 4).click().perform()
    x = float(browser.find_element(By.ID, "id_focal_x").get_attribute("value"))
    y = float(browser.find_element(By.ID, "id_focal_y").get_attribute("value"))
    for crop in (".crop-social img", ".crop-square img", ".crop-thumb img"):
        left, top = (float(part.rstrip("%")) for part in browser.execute_script(position, crop).split())
        assert (round(left, 1), round(top, 1)) == (round(x * 100, 1), round(y * 100, 1))
    assert 70 < x * 100 < 80
    assert console_errors() == []
    leave(browser, live_server)


def test_an_authors_photo_is_chosen_with_the_same_chooser(browser, live_server, console_errors, editor):
    from articles.tests.factories import make_author

    author = make_author("Rita Lib")
    photo = make_picture(color=(150, 120, 90), alt="Rita at her desk", caption="Rita Lib")
    sign_in(browser, live_server, editor)
    browser.get(f"{live_server.url}/admin/articles/author/{author.pk}/change/")
    assert "No photo chosen." in browser.find_element(By.CSS_SELECTOR, ".lead-picture-card").text
    assert not browser.find_element(By.CSS_SELECTOR, ".field-photo_upload").is_displayed()
    open_chooser(browser, ".lead-picture-choose")
    assert browser.find_element(By.ID, "picture-chooser-title").text == "Choose the photo"
    browser.find_element(By.ID, "picture-chooser-q").send_keys("desk")
    WebDriverWait(browser, 10).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, ".picture-chooser-results button")) == 1
    )
    browser.find_element(By.CSS_SELECTOR, ".picture-chooser-results button").click()
    assert browser.find_element(By.CSS_SELECTOR, ".lead-picture-status").text == f"Picture #{photo.pk} is the photo."
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success"))
    author.refresh_from_db()
    assert author.photo == photo
    assert "Rita at her desk" in browser.find_element(By.CSS_SELECTOR, ".lead-picture-card").text
    assert console_errors() == []
    leave(browser, live_server)

"""The library's "Upload pictures" page in a browser: pictures dropped on the form are chosen, the upload shows
its progress, and the editor lands on the page that describes the new pictures, with the message saying so."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Image
from tests.browsing import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Two pictures drawn in the page and dropped on the form, as a file manager's drag would drop them.
DROP = """const done = arguments[arguments.length - 1];
const form = document.querySelector('form.upload-form');
function drawn(color, name) {
  const canvas = document.createElement('canvas');
  canvas.width = 640; canvas.height = 480;
  const context = canvas.getContext('2d');
  context.fillStyle = color; context.fillRect(0, 0, 640, 480);
  const file = blob => new File([blob], name, {type: 'image/png'});
  return new Promise(resolve => canvas.toBlob(blob => resolve(file(blob)), 'image/png'));
}
Promise.all([drawn('#2a6', 'quay.png'), drawn('#a26', 'ferry.png')]).then(files => {
  const data = new DataTransfer();
  files.forEach(file => data.items.add(file));
  form.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
  form.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
  done(form.querySelector('input[type=file]').files.length);
});"""


def test_dropped_pictures_upload_with_progress_and_land_on_the_describe_page(
    browser, live_server, console_errors, writer
):
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/image/upload/")
    assert axe_violations(browser, console_errors) == []
    assert browser.execute_async_script(DROP) == 2
    assert browser.find_element(By.CSS_SELECTOR, ".upload-status").text == "2 pictures chosen."
    browser.execute_script(  # kept across the page change: the bar was shown while the files went up
        "const bar = document.querySelector('.upload-progress');"
        "new MutationObserver(() => { if (!bar.hidden) sessionStorage.setItem('progress', bar.value); })"
        ".observe(bar, {attributes: true});"
    )
    browser.find_element(By.CSS_SELECTOR, "form.upload-form input[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: "/admin/articles/image/upload/describe/" in b.current_url)
    assert Image.objects.count() == 2
    assert browser.execute_script("return sessionStorage.getItem('progress')") is not None
    messages = [node.text for node in browser.find_elements(By.CSS_SELECTOR, ".messagelist li")]
    assert "2 picture(s) added to the library." in messages
    assert console_errors() == []
    browser.delete_all_cookies()


def test_on_a_phone_every_field_of_the_upload_page_lies_within_its_group(browser, live_server, console_errors, editor):
    """At 390 px, with the form ready to take dropped files, no input of the upload page (the pictures, the rights)
    runs past the edge of its group, where it would be cut off, and each group's explanation spans the screen."""
    sign_in(browser, live_server, editor)
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{live_server.url}/admin/articles/image/upload/")
        WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.upload-drop"))
        past = browser.execute_script(
            """return [...document.querySelectorAll('form.upload-form fieldset input')]
                .filter(e => e.getBoundingClientRect().right > e.closest('fieldset').getBoundingClientRect().right + 1)
                .map(e => e.name)"""
        )
        assert past == []
        indented = browser.execute_script(
            """return [...document.querySelectorAll('form.upload-form fieldset > p.help')]
                .map(p => p.getBoundingClientRect().left - p.closest('fieldset').getBoundingClientRect().left)"""
        )
        assert len(indented) == 2 and max(indented) < 20, indented  # read across the screen, not in a column
        assert axe_violations(browser, console_errors) == []
    finally:
        browser.set_window_size(1280, 900)

"""The writing view of the article form: the writing first and the rest in closed groups, a body box that grows
with its text, the Markdown toolbar and keys, Ctrl+S, the headline counter, and a preview that is the reader page."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article
from articles.tests.factories import draft_by, make_article, make_picture
from tests.browsing import arrived, axe_violations, in_preview, leave, show_preview, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP, PHONE = (1440, 900), (390, 844)


def preview_frame(browser):
    return browser.find_element(By.CSS_SELECTOR, "iframe.writing-preview-frame")


def groups(browser):
    """The form's collapsible groups: heading (without what the group holds, said after it) and whether it is
    open."""
    script = """return [...document.querySelectorAll('#content-main fieldset > details')].map(d =>
        [d.querySelector('summary h2').firstChild.textContent.trim(), d.open])"""
    return browser.execute_script(script)


def test_the_writing_comes_first_and_the_rest_waits_in_closed_groups(browser, live_server, console_errors, editor):
    """Headline, dek and body on top; the other groups closed below them, until one holds an error."""
    article = make_article(title="Harbour dredging starts", body="The dredger arrived.", status=Article.Status.DRAFT,
                           published_at=None)  # fmt: skip
    sign_in(browser, live_server, editor)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    names = [name for name, _ in groups(browser)]
    assert names[:5] == ["Publishing", "Pictures", "Bylines", "Tags", "Address"]
    assert names[5:] == [
        "Old addresses (redirect here)",
        "Preview share links",
        "Live coverage",
        "Corrections",
        "Workflow log",
    ]
    assert not any(is_open for _, is_open in groups(browser))
    top = "return arguments[0].getBoundingClientRect().top + scrollY"
    title, body = browser.find_element(By.ID, "id_title"), browser.find_element(By.ID, "id_body")
    first_group = browser.find_element(By.CSS_SELECTOR, "#content-main fieldset > details")
    assert browser.execute_script(top, title) < browser.execute_script(top, body)
    assert browser.execute_script(top, body) < browser.execute_script(top, first_group)
    assert not browser.find_element(By.ID, "id_slug").is_displayed()

    # A slug with a space: the group holding it is shown open with the error, the others stay closed.
    browser.execute_script("document.getElementById('id_slug').value = 'not a slug'")
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".errornote"))
    assert browser.find_element(By.CSS_SELECTOR, ".field-slug .errorlist").is_displayed()
    assert browser.find_element(By.ID, "id_slug").is_displayed()
    closed = [name for name, is_open in groups(browser) if not is_open]
    assert "Address" not in closed and {"Publishing", "Pictures", "Tags"} <= set(closed)
    assert console_errors() == []
    leave(browser, live_server)


def test_the_body_grows_with_its_text_and_the_toolbar_writes_markdown(browser, live_server, console_errors, writer):
    """The body box is as tall as its 40 lines, in a reading font; the toolbar's and the keys' Markdown is undoable
    and shows in the preview beside it."""
    browser.set_window_size(*DESKTOP)
    try:
        write_with_the_toolbar(browser, live_server, console_errors, writer)
    finally:
        browser.set_window_size(1280, 900)


def write_with_the_toolbar(browser, live_server, console_errors, writer):
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/article/add/")
    body = browser.find_element(By.ID, "id_body")
    font = browser.execute_script("return getComputedStyle(arguments[0]).fontFamily", body)
    assert "monospace" not in font
    start = body.size["height"]
    body.send_keys("\n".join(f"Line {n} of the story." for n in range(40)))
    sizes = "return [arguments[0].clientHeight, arguments[0].scrollHeight]"
    client, scroll = browser.execute_script(sizes, body)
    print("body box", start, "px empty,", client, "px with 40 lines; scrollHeight", scroll)
    assert client >= scroll and client > 3 * start

    body.clear()
    body.send_keys("The harbour opens")
    body.send_keys(Keys.SHIFT, Keys.HOME)  # select the sentence
    browser.find_element(By.CSS_SELECTOR, "[data-tool=bold]").click()
    assert body.get_attribute("value") == "**The harbour opens**"
    body.send_keys(Keys.CONTROL, "z")  # the browser's Undo takes a toolbar edit back, and Redo redoes it
    assert body.get_attribute("value") == "The harbour opens"
    body.send_keys(Keys.CONTROL, Keys.SHIFT, "z")
    assert body.get_attribute("value") == "**The harbour opens**"
    body.send_keys(Keys.END, "\n\nTide tables")
    browser.find_element(By.CSS_SELECTOR, "[data-tool=heading]").click()
    body.send_keys(Keys.END, "\n\nThe port")
    body.send_keys(Keys.SHIFT, Keys.HOME)
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
    body.send_keys("https://port.example/tides")
    body.send_keys(Keys.END, " and ")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("i").key_up(Keys.CONTROL).perform()
    body.send_keys("tides")
    assert body.get_attribute("value") == (
        "**The harbour opens**\n\n## Tide tables\n\n[The port](https://port.example/tides) and *tides*"
    )

    assert in_preview(browser, "strong", "The harbour opens")
    assert in_preview(browser, "h2", "Tide tables")
    assert in_preview(browser, "a[href='https://port.example/tides']", "The port")
    browser.find_element(By.CSS_SELECTOR, "[data-tool=picture]").click()  # the picture chooser, ready to search
    assert browser.switch_to.active_element.get_attribute("id") == "picture-chooser-q"
    browser.find_element(By.CSS_SELECTOR, ".picture-chooser-close").click()
    sheet = browser.find_element(By.CSS_SELECTOR, ".writing-shortcuts")
    sheet.find_element(By.TAG_NAME, "summary").click()
    assert "Save and keep editing" in sheet.text and "Ctrl" in sheet.text
    assert console_errors() == []
    leave(browser, live_server)


def test_ctrl_s_saves_and_stays_on_the_story(browser, live_server, console_errors, writer):
    """Ctrl+S is "Save and continue editing": the text is saved and the writer is still on the story."""
    article = draft_by(writer, title="Ferry strike", body="The crews walked out.")
    sign_in(browser, live_server, writer)
    change = f"/admin/articles/article/{article.pk}/change/"
    browser.get(live_server.url + change)
    body = browser.find_element(By.ID, "id_body")
    body.send_keys(Keys.END, "\n\nTalks resume on Monday-s9.")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success"))
    arrived(browser, change)
    assert Article.objects.get(pk=article.pk).body.endswith("Talks resume on Monday-s9.")
    assert browser.find_element(By.ID, "id_body").get_attribute("value").endswith("Monday-s9.")
    assert console_errors() == []
    leave(browser, live_server)


def test_the_headline_counter_counts_against_the_recommended_and_the_limit(
    browser, live_server, console_errors, writer
):
    """Shown at every key, read out once typing pauses; the site's limit (the publish checklist's) beside the
    recommended length."""
    sign_in(browser, live_server, writer)
    browser.get(live_server.url + "/admin/articles/article/add/")
    title = browser.find_element(By.ID, "id_title")
    count = browser.find_element(By.ID, "headline-count")
    assert count.text == "0 / 70 recommended · 110 the site's limit · 300 max"
    headline = "Harbour board approves the new ferry quay after a year"
    title.send_keys(headline)
    assert len(headline) == 54 and count.text == "54 / 70 recommended · 110 the site's limit · 300 max"
    assert "headline-count" in title.get_attribute("aria-describedby")
    told = browser.find_element(By.CSS_SELECTOR, "#id_title ~ [role=status]")
    WebDriverWait(browser, 10).until(lambda b: told.get_attribute("textContent"))
    assert told.get_attribute("textContent") == "Headline: 54 characters of the recommended 70."
    title.send_keys(", and what it will cost")
    assert count.text == "77 / 70 recommended · 110 the site's limit · 300 max"
    assert "over" in count.get_attribute("class")
    WebDriverWait(browser, 10).until(lambda b: "over" in told.get_attribute("textContent"))
    assert told.get_attribute("textContent") == "Headline: 77 characters, 7 over the recommended 70."
    title.send_keys(" to the town's ferry users over the next forty years")
    WebDriverWait(browser, 10).until(lambda b: "site's limit 110" in told.get_attribute("textContent"))
    assert told.get_attribute("textContent") == (
        "Headline: 129 characters, 59 over the recommended 70, 19 over the site's limit 110."
    )
    assert console_errors() == []
    leave(browser, live_server)


MEASURED = ["fontFamily", "fontSize", "fontStyle", "lineHeight", "marginTop", "marginBottom", "paddingLeft"]
ELEMENTS = {"heading": ".body h2", "list": ".body ul", "list item": ".body li", "quote": ".body blockquote",
            "table": ".body table", "table cell": ".body td", "figure": ".body figure", "picture": ".body figure img",
            "caption": ".body figcaption", "paragraph": ".body > p"}  # fmt: skip


def styles(browser):
    script = """const [elements, measured] = arguments;
        return Object.fromEntries(Object.entries(elements).map(([name, css]) => {
            const style = getComputedStyle(document.querySelector(css));
            return [name, Object.fromEntries(measured.map(p => [p, style[p]]))];
        }))"""
    return browser.execute_script(script, ELEMENTS, MEASURED)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_preview_is_styled_as_the_published_page(browser, live_server, console_errors, editor, size):
    """A heading, a list, a quote, a table and a library picture: the preview computes the same font, size and
    margins for each as the published article page at the same screen width."""
    picture = make_picture((1200, 800), alt="Cranes at dawn", caption="The southern breakwater", credit="Staff")
    body = (
        "The quay opens.\n\n## Tide tables\n\n- High water at six\n- Low water at noon\n\n"
        "> We waited a year for this.\n\n| Tide | Time |\n| --- | --- |\n| High | 06:10 |\n\n"
        f'![Cranes at dawn](image:{picture.pk} "The southern breakwater")'
    )
    article = make_article(title="Quay opens", body=body, published_at=timezone.now())
    browser.set_window_size(*size)
    try:
        browser.get(live_server.url + article.get_absolute_url())
        published = styles(browser)
        sign_in(browser, live_server, editor)
        browser.get(live_server.url + "/admin/articles/article/add/")
        typed = "const box = document.getElementById('id_body'); box.value = arguments[0];"
        browser.execute_script(typed + "box.dispatchEvent(new Event('input', {bubbles: true}))", body)
        if size == PHONE:
            show_preview(browser)
        in_preview(browser, ".body figure img")
        browser.switch_to.frame(preview_frame(browser))
        try:
            loaded = "return document.querySelector('.body figure img').complete"
            WebDriverWait(browser, 10).until(lambda b: b.execute_script(loaded))
            previewed = styles(browser)
            width = browser.execute_script("return innerWidth")
        finally:
            browser.switch_to.default_content()
        print(f"window {size}, preview {width} px wide")
        for name in ELEMENTS:
            print(f"  {name:10} reader {published[name]}")
            print(f"  {'':10} preview {previewed[name]}")
        assert previewed == published
        assert console_errors() == []
        leave(browser, live_server)
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_writing_view_passes_axe_and_fits_the_screen(browser, live_server, console_errors, writer, size):
    """axe finds nothing on the form nor in the preview's page; on a phone the body and the preview take turns
    (Write and Preview), nothing is wider than the screen, and the body box starts at eight lines and grows."""
    article = draft_by(writer, title="Quay vote", body="The council met.\n\n## Next\n\n- one\n- two")
    browser.set_window_size(*size)
    try:
        sign_in(browser, live_server, writer)
        browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
        in_preview(browser, "h2", "Next")
        assert axe_violations(browser, console_errors) == []
        browser.switch_to.frame(preview_frame(browser))
        try:
            assert axe_violations(browser, console_errors) == []  # the preview's own page
        finally:
            browser.switch_to.default_content()
        sizes = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        width, viewport = browser.execute_script(sizes)
        assert width <= viewport
        body = browser.find_element(By.ID, "id_body")
        lines = "const s = getComputedStyle(arguments[0]); return arguments[0].clientHeight / parseFloat(s.lineHeight)"
        print(f"window {size}: body box {body.size}, {browser.execute_script(lines, body):.1f} lines")
        assert browser.execute_script(lines, body) >= 8
        if size == PHONE:
            write = browser.find_element(By.XPATH, "//button[normalize-space()='Write']")
            preview = browser.find_element(By.XPATH, "//button[normalize-space()='Preview']")
            assert write.size["height"] >= 44 and preview.size["height"] >= 44
            assert body.is_displayed() and not preview_frame(browser).is_displayed()
            show_preview(browser)
            assert preview_frame(browser).is_displayed() and not body.is_displayed()
            assert preview.get_attribute("aria-pressed") == "true"
            assert in_preview(browser, "h2", "Next")
            assert axe_violations(browser, console_errors) == []
            width, viewport = browser.execute_script(sizes)
            assert width <= viewport
            show_preview(browser, "Write")
            assert body.is_displayed() and not preview_frame(browser).is_displayed()
            before = body.size["height"]
            body.send_keys(Keys.END, "\n" * 20 + "The end.")
            assert body.size["height"] > before
        else:
            assert not browser.find_element(By.CSS_SELECTOR, ".writing-switch").is_displayed()
            assert body.is_displayed() and preview_frame(browser).is_displayed()
        assert console_errors() == []
        leave(browser, live_server)
    finally:
        browser.set_window_size(1280, 900)

"""A new article comes filled in with the obvious: the writer's own byline and the section they last used, and
tags are chosen from the existing ones as one types (created in place only by editors)."""

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from taggit.models import Tag

from articles.models import Article, Section
from articles.tests.factories import draft_by, make_author
from tests.browsing import arrived, axe_violations, leave, open_groups, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ADD_PATH = "/admin/articles/article/add/"

# Whether any part of the bylines or the tag chooser reaches past the screen's right edge, and whether the page
# itself scrolls sideways.
OVERFLOWING = """
const width = document.documentElement.clientWidth;
const parts = document.querySelectorAll("#bylines-group, #bylines-group *, .tag-chooser, .tag-chooser *");
const wide = [...parts].filter(part => {
  const box = part.getBoundingClientRect();
  return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
}).map(part => part.tagName + "." + part.className);
return {wide, page: document.documentElement.scrollWidth - width};
"""


@pytest.fixture
def newsroom(writer):
    harbour = Section.objects.create(name="Harbour", slug="harbour")
    Section.objects.create(name="City", slug="city")
    earlier = draft_by(writer, title="Last week's story")
    earlier.section, earlier._history_user = harbour, writer  # saved by the writer, in Harbour
    earlier.save()
    for name in ("Tide", "Tidal power", "Harbour works"):
        Tag.objects.create(name=name)
    make_author("Ann Lee")
    return harbour


def violations(browser, console_errors):
    """axe's findings on the form but one: the Markdown preview pane's prohibited name, which is the preview's."""
    preview = ("aria-prohibited-attr", [[".markdown-preview"]])
    return [found for found in axe_violations(browser, console_errors) if found != preview]


def shown_options(browser):
    return [o.text for o in browser.find_elements(By.CSS_SELECTOR, ".tag-options [role=option]") if o.is_displayed()]


def offered(browser, expected):
    """Whether the chooser comes to list ``expected`` (it answers each pause in the typing)."""
    try:
        return WebDriverWait(browser, 5).until(lambda b: shown_options(b) == expected)
    except TimeoutException:
        return shown_options(browser)


def note(browser):
    return browser.find_element(By.CSS_SELECTOR, ".tag-chooser-note").text


def chips(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('.tag-chip > span')].map(name => name.textContent)"
    )


def chosen(browser, expected):
    """Whether the chips come to show ``expected`` (a choice made before the list answered waits for it)."""
    try:
        return WebDriverWait(browser, 5).until(lambda b: chips(b) == expected)
    except TimeoutException:
        return chips(browser)


def saved(browser):
    WebDriverWait(browser, 10).until(lambda b: not b.current_url.endswith(ADD_PATH))


def test_a_writer_files_with_their_byline_section_and_a_chosen_tag(browser, live_server, console_errors, newsroom,
                                                                  writer):  # fmt: skip
    sign_in(browser, live_server, writer)
    browser.find_element(By.LINK_TEXT, "Write an article").click()
    arrived(browser, ADD_PATH)
    open_groups(browser, "Publishing", "Bylines", "Tags")
    first_byline = browser.find_element(By.CSS_SELECTOR, "#bylines-0 .select2-selection__rendered")
    assert first_byline.text.endswith("Wendy Writer")
    assert Select(browser.find_element(By.ID, "id_section")).first_selected_option.text == "Harbour"
    assert violations(browser, console_errors) == []

    browser.find_element(By.ID, "id_title").send_keys("Sea wall holds")
    browser.find_element(By.ID, "id_body").send_keys("The wall held overnight.")
    box = browser.find_element(By.ID, "id_tags_chooser")
    box.send_keys("Tid")
    assert offered(browser, ["Tidal power", "Tide"]) is True
    assert "Only editors create tags" in note(browser)
    assert violations(browser, console_errors) == []  # with the tag list open
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert chosen(browser, ["Tidal power"]) is True
    assert browser.find_element(By.ID, "id_tags").get_attribute("value") == "Tidal power"
    assert browser.switch_to.active_element == box

    box.send_keys("Gossip")
    WebDriverWait(browser, 10).until(lambda b: "No tag is called “Gossip”" in note(b))
    assert "Only editors create tags" in note(browser)
    assert shown_options(browser) == []
    box.send_keys(Keys.ENTER)
    assert "“Gossip” is not a tag" in note(browser) and chips(browser) == ["Tidal power"]
    box.send_keys(Keys.BACKSPACE * len("Gossip"))
    assert chosen(browser, ["Tidal power"]) is True
    box.send_keys("harbour works", Keys.ENTER)  # typed in full, at once: the tag so named, as it is spelled
    assert chosen(browser, ["Tidal power", "Harbour works"]) is True

    # A co-author: one tap on "Add another", then the name.
    browser.find_element(By.CSS_SELECTOR, "#bylines-group .add-row a").click()
    search = WebDriverWait(browser, 10).until(
        lambda b: b.switch_to.active_element if "select2-search__field" in b.switch_to.active_element.get_attribute(
            "class") else None
    )  # fmt: skip
    assert violations(browser, console_errors) == []  # with the author list open
    search.send_keys("Ann")
    highlighted = ".select2-results__option--highlighted"
    WebDriverWait(browser, 10).until(
        lambda b: [o.text for o in b.find_elements(By.CSS_SELECTOR, highlighted)] == ["Ann Lee"]
    )
    search.send_keys(Keys.ENTER)
    assert browser.find_element(By.CSS_SELECTOR, "#bylines-1 .select2-selection__rendered").text.endswith("Ann Lee")

    browser.find_element(By.NAME, "_continue").click()
    saved(browser)
    article = Article.objects.get(title="Sea wall holds")
    assert [(b.author.name, b.position) for b in article.bylines.order_by("position")] == [
        ("Wendy Writer", 0),
        ("Ann Lee", 1),
    ]
    assert article.section == newsroom
    assert sorted(tag.name for tag in article.tags.all()) == ["Harbour works", "Tidal power"]
    assert not Tag.objects.filter(name="Gossip").exists()
    assert console_errors() == []
    leave(browser, live_server)


def test_an_editor_creates_a_multi_word_tag_in_place(browser, live_server, console_errors, newsroom, editor):
    sign_in(browser, live_server, editor)
    browser.get(live_server.url + ADD_PATH)
    open_groups(browser, "Bylines", "Tags")
    assert browser.find_element(By.CSS_SELECTOR, "#bylines-0 .select2-selection__rendered").text in ("", "×")
    browser.find_element(By.ID, "id_title").send_keys("Repairs begin")
    box = browser.find_element(By.ID, "id_tags_chooser")
    box.send_keys("Sea wall repairs")
    assert offered(browser, ["Create tag “Sea wall repairs”"]) is True
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert chosen(browser, ["Sea wall repairs"]) is True
    box.send_keys("harbour w")
    assert offered(browser, ["Harbour works", "Create tag “harbour w”"]) is True
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert chosen(browser, ["Sea wall repairs", "Harbour works"]) is True
    browser.find_element(By.CSS_SELECTOR, "[aria-label='Remove tag Sea wall repairs']").click()
    assert chosen(browser, ["Harbour works"]) is True
    box.send_keys("Sea wall repairs", Keys.ENTER)
    assert chosen(browser, ["Harbour works", "Sea wall repairs"]) is True
    browser.find_element(By.NAME, "_continue").click()
    saved(browser)
    article = Article.objects.get(title="Repairs begin")
    assert sorted(tag.name for tag in article.tags.all()) == ["Harbour works", "Sea wall repairs"]
    assert console_errors() == []
    leave(browser, live_server)


def test_on_a_phone_the_bylines_and_tags_fit(browser, live_server, console_errors, newsroom, writer):
    sign_in(browser, live_server, writer)
    browser.set_window_size(390, 844)
    try:
        browser.get(live_server.url + ADD_PATH)
        open_groups(browser, "Bylines", "Tags")
        box = browser.find_element(By.ID, "id_tags_chooser")
        box.send_keys("Tid")
        assert offered(browser, ["Tidal power", "Tide"]) is True
        box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
        link = browser.find_element(By.CSS_SELECTOR, "#bylines-group .add-row a")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)  # off the bottom action bar
        link.click()
        browser.switch_to.active_element.send_keys(Keys.ESCAPE)
        fit = browser.execute_script(OVERFLOWING)
        assert fit == {"wide": [], "page": 0}
        group = browser.find_element(By.ID, "bylines-group").rect
        assert group["width"] <= 390
        add = browser.find_element(By.CSS_SELECTOR, "#bylines-group .add-row a").rect
        assert add["height"] >= 44
        assert violations(browser, console_errors) == []
    finally:
        browser.set_window_size(1280, 900)
    leave(browser, live_server)

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from articles.models import Article, Section
from articles.tests.factories import kind_of_work, make_article, make_author, make_picture
from tests.browsing import arrived, axe_violations, in_preview, leave, show_preview, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def site():
    author = make_author("Amy Lee")
    for n in range(25):
        make_article(
            title=f"Tide report {n}",
            tags=["Coast"],
            authors=[author],
            published_at=timezone.now() - timedelta(hours=n + 2),
        )
    make_article(
        title="Ferry service resumes",
        body="The **harbour** reopened after the storm.",
        authors=[author],
        tags=["Coast", "Transport"],
    )
    make_article(title="Secret draft zq", status=Article.Status.DRAFT)


def test_reader_follows_a_headline_to_the_article(browser, live_server, console_errors, site):
    """From the home page a reader clicks the lead headline and lands on the article."""
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Ferry service resumes").click()
    arrived(browser, "/articles/ferry-service-resumes/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ferry service resumes"
    assert browser.find_element(By.CSS_SELECTOR, ".body strong").text == "harbour"
    assert "Secret draft zq" not in browser.page_source
    assert console_errors() == []


def test_reader_searches(browser, live_server, console_errors, site):
    """The header search finds an article by a word from its body."""
    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "site-search-q")
    box.send_keys("storm", Keys.ENTER)
    arrived(browser, "/search/?q=storm")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Results for “storm”"
    results = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert results == ["Ferry service resumes"]
    assert console_errors() == []


def test_reader_pages_through_a_tag(browser, live_server, console_errors, site):
    """A topic's second page continues where the first stopped, and leads back."""
    browser.get(live_server.url + "/tags/coast/")
    first_page = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert len(first_page) == 20 and first_page[0] == "Ferry service resumes"
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    arrived(browser, "/tags/coast/?page=2")
    second_page = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".card-title a")]
    assert browser.current_url.endswith("/tags/coast/?page=2")
    assert len(second_page) == 6 and not set(first_page) & set(second_page)
    browser.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
    arrived(browser, "/tags/coast/")
    assert browser.current_url.endswith("/tags/coast/")
    assert console_errors() == []


def test_keyboard_users_can_skip_to_the_content(browser, live_server, console_errors, site):
    """The first Tab stop is a visible skip link that moves focus to the main content."""
    browser.get(live_server.url + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    link = browser.switch_to.active_element
    assert link.text == "Skip to content" and link.is_displayed() and link.location["x"] >= 0
    link.send_keys(Keys.ENTER)
    assert browser.current_url.endswith("#main")
    assert console_errors() == []


def test_no_horizontal_scrolling_on_a_phone(browser, live_server, site):
    """At 390 px wide, the article page fits the screen."""
    browser.set_window_size(390, 844)
    try:
        browser.get(live_server.url + "/articles/ferry-service-resumes/")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        viewport = browser.execute_script("return document.documentElement.clientWidth")
        assert width <= viewport
    finally:
        browser.set_window_size(1280, 900)


def test_a_sponsors_long_name_wraps_within_a_phones_screen(browser, live_server, site):
    """A sponsor named by a long web address, in its label above the headline, fits 390 px on the article page and
    on the front page's card."""
    make_article(
        title="Island hopping in winter",
        kind=kind_of_work("Sponsored"),
        sponsor="www.harbourferriesinternationalholdingsgroup.example",
    )
    browser.set_window_size(390, 844)
    try:
        for path in ("/articles/island-hopping-in-winter/", "/"):
            browser.get(live_server.url + path)
            assert "harbourferries" in browser.find_element(By.CSS_SELECTOR, ".sponsored-label").text
            sizes = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            width, viewport = browser.execute_script(sizes)
            assert width <= viewport, path
    finally:
        browser.set_window_size(1280, 900)


def test_a_reader_on_a_phone_reaches_every_section_from_the_header(browser, live_server, console_errors, site):
    """Seven sections do not widen the page: the header's row scrolls by itself, and the last section is a tap
    away; on its front, its link is the one marked current."""
    names = ["Politics", "World", "Business", "Science", "Culture", "Opinion", "Obituaries"]
    for position, name in enumerate(names):
        make_article(title=f"{name} story", section=Section.objects.create(name=name, position=position))
    browser.set_window_size(390, 844)
    try:
        browser.get(live_server.url + "/")
        sizes = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        width, viewport = browser.execute_script(sizes)
        assert width <= viewport
        row = browser.find_element(By.CSS_SELECTOR, ".site-nav ul")
        assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", row)
        last = browser.find_element(By.LINK_TEXT, "Obituaries")
        browser.execute_script("arguments[0].scrollIntoView({inline: 'center'})", last)
        last.click()
        arrived(browser, "/sections/obituaries/")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Obituaries"
        current = browser.find_element(By.CSS_SELECTOR, '.site-nav a[aria-current="page"]')
        assert current.text == "Obituaries"
        width, viewport = browser.execute_script(sizes)
        assert width <= viewport
        assert console_errors() == []
    finally:
        browser.set_window_size(1280, 900)


def test_editor_signs_in_and_sees_the_live_preview(browser, live_server, console_errors, editor):
    """Through the real login form, under the site's Content-Security-Policy: the admin's scripts all run."""
    editor.set_password("Browser-test-pass-31")
    editor.save()
    browser.get(live_server.url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("eddie")
    browser.find_element(By.NAME, "password").send_keys("Browser-test-pass-31", Keys.ENTER)
    arrived(browser, "/admin/")
    browser.get(live_server.url + "/admin/articles/article/add/")
    browser.find_element(By.ID, "id_body").send_keys("## Tide tables\n\nThe **harbour** opens at six.")
    show_preview(browser)
    assert [e["text"] for e in in_preview(browser, ".markdown-preview strong")] == ["harbour"]
    assert [e["text"] for e in in_preview(browser, ".markdown-preview h2")] == ["Tide tables"]
    assert console_errors() == []
    # Typing without a pause sends no request per key: one after the pause, for the whole text.
    requests = "return performance.getEntriesByType('resource').filter(e => e.name.includes('preview-markdown')).length"
    before = browser.execute_script(requests)
    show_preview(browser, "Write")
    browser.find_element(By.ID, "id_body").send_keys("\n\n- [x] Ferry timetable checked with the port office")
    checkbox = in_preview(browser, ".markdown-preview li input")
    assert browser.execute_script(requests) - before <= 2
    assert "disabled" in checkbox[0]["attributes"]
    browser.delete_all_cookies()


def test_a_writer_sets_a_focal_point_and_inserts_a_library_picture(browser, live_server, console_errors, writer):
    """Under the CSP, both small scripts work: a click on the picture sets the focal point that the crops follow,
    and the picker under the body inserts a reference that the live preview shows as a figure."""
    picture = make_picture((1200, 800), alt="Cranes at dawn", caption="The southern breakwater", credit="Staff")
    sign_in(browser, live_server, writer)
    browser.get(f"{live_server.url}/admin/articles/image/{picture.pk}/change/")
    image = browser.find_element(By.CSS_SELECTOR, ".focal-picker img")
    width, height = image.size["width"], image.size["height"]
    ActionChains(browser).move_to_element_with_offset(image, width // 4, -height // 4).click().perform()
    x = float(browser.find_element(By.ID, "id_focal_x").get_attribute("value"))
    y = float(browser.find_element(By.ID, "id_focal_y").get_attribute("value"))
    assert 0.7 < x < 0.8 and 0.2 < y < 0.3
    square = picture.renditions["square"]
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success"))
    picture.refresh_from_db()
    assert picture.focal == (round(x, 3), round(y, 3)) and picture.renditions["square"] != square

    browser.get(live_server.url + "/admin/articles/article/add/")
    browser.find_element(By.ID, "id_body").send_keys("The port expands.\n\n")
    browser.find_element(By.CSS_SELECTOR, ".picture-picker-open").click()
    browser.find_element(By.ID, "picture-chooser-q").send_keys("breakwater")
    choice = WebDriverWait(browser, 10).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".picture-chooser-results button")
    )
    choice[0].click()
    body = browser.find_element(By.ID, "id_body").get_attribute("value")
    assert f'![Cranes at dawn](image:{picture.pk} "The southern breakwater")' in body
    show_preview(browser)
    figure = in_preview(browser, ".markdown-preview figure.body-figure img")[0]["attributes"]
    assert figure["alt"] == "Cranes at dawn" and figure["width"] == "960"
    WebDriverWait(browser, 10).until(lambda b: in_preview(b, ".markdown-preview figure.body-figure img")[0]["loaded"])
    browser.save_screenshot("/tmp/picker.png")
    assert console_errors() == []
    browser.delete_all_cookies()


@pytest.fixture
def quick_heartbeat(monkeypatch):
    """Heartbeats and autosaves every second instead of every 30, so a test sees several."""
    from articles.desk import presence

    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 1)


def test_the_desk_heartbeat_shows_who_is_editing_and_hands_over(
    browser, live_server, console_errors, writer, editor, quick_heartbeat
):
    """Under the CSP, the change form's own script tells Ana that Bea is there, lets her take over, and tells
    her at once when Bea takes it back. Bea is a second session on the same server (the shared cache)."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from articles.tests.factories import draft_by

    editor.first_name, editor.last_name = "Ana", "Ruiz"
    editor.save()
    bea = User.objects.create_user("bea", password="x", is_staff=True, first_name="Bea")
    bea.groups.add(Group.objects.get(name="Editor"))
    article = draft_by(writer, title="Harbour budget vote")
    other = Client()
    other.force_login(bea)
    beat = f"/admin/articles/article/{article.pk}/presence/"
    assert other.post(beat).json()["you_hold"]  # Bea opened it first

    sign_in(browser, live_server, editor)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    text = browser.find_element(By.ID, "desk-presence-text")
    WebDriverWait(browser, 10).until(lambda b: "Bea is editing this article since" in text.text)
    browser.find_element(By.ID, "desk-take-over").click()
    WebDriverWait(browser, 10).until(lambda b: "Also open for Bea" in text.text)
    told = other.post(beat).json()
    assert told["taken_over"]["by"] == "Ana Ruiz" and not told["you_hold"]
    other.post(beat, {"take_over": "1"})
    WebDriverWait(browser, 10).until(lambda b: "Bea took over editing at" in text.text)
    assert console_errors() == []
    assert axe_violations(browser, console_errors) == []
    leave(browser, live_server)


def test_the_desk_autosaves_and_offers_the_text_back(
    browser, live_server, console_errors, writer, editor, quick_heartbeat
):
    """Typed text is autosaved without saving the article; reopening offers it back with a diff, and restoring
    puts it in the form (and the live preview). The dashboard and the form pass axe."""
    from articles.models import Article, Autosave
    from articles.tests.factories import draft_by

    article = draft_by(writer, title="Council meeting", body="The council met.")
    version = article.version
    sign_in(browser, live_server, writer)
    assert axe_violations(browser, console_errors) == []  # the desk, as a writer
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    browser.find_element(By.ID, "id_body").send_keys("\n\nIt voted to rebuild the quay-w4.")
    status = browser.find_element(By.CSS_SELECTOR, ".autosave-status")
    WebDriverWait(browser, 10).until(lambda b: "Autosaved at" in status.text)
    assert "quay-w4" in Autosave.objects.get(user=writer, article=article).body
    assert Article.objects.get(pk=article.pk).version == version  # the article itself is untouched

    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")  # as after a crash
    offer = browser.find_element(By.ID, "desk-autosave")
    assert "You have unsaved text from" in offer.text
    assert axe_violations(browser, console_errors) == []  # the change form, with the offer open
    browser.find_element(By.ID, "desk-autosave-restore").click()
    assert "quay-w4" in browser.find_element(By.ID, "id_body").get_attribute("value")
    assert in_preview(browser, ".markdown-preview", "quay-w4")
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist .success"))
    assert "quay-w4" in Article.objects.get(pk=article.pk).body and not Autosave.objects.exists()
    assert console_errors() == []

    leave(browser, live_server)
    sign_in(browser, live_server, editor)
    assert axe_violations(browser, console_errors) == []  # the desk, as an editor
    leave(browser, live_server)


def test_a_restored_autosave_does_not_undo_a_later_save(browser, live_server, console_errors, writer, editor):
    """The restore button puts back the version the text was typed in with the text: saving it after someone
    else saved is refused as out of date, and their paragraph stays."""
    from articles.models import Autosave, Byline

    article = make_article(title="Quay vote", body="The council met.", status=Article.Status.DRAFT,
                           published_at=None, created_by=writer)  # fmt: skip
    Byline.objects.create(article=article, author=writer.author)
    typed_in = article.version
    Autosave.keep(writer, article, {"title": "Quay vote", "dek": article.dek, "body": "The council met-a7."},
                  version=typed_in)  # fmt: skip
    article.body = "The council met.\n\nThe editor's paragraph-e3."
    article._history_user = editor
    article.save()
    sign_in(browser, live_server, writer)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    offer = browser.find_element(By.ID, "desk-autosave")
    assert "saved this article" in offer.text and "paragraph-e3" in offer.text
    browser.find_element(By.ID, "desk-autosave-restore").click()
    assert browser.find_element(By.ID, "id_version").get_attribute("value") == str(typed_in)
    browser.find_element(By.NAME, "_continue").click()
    WebDriverWait(browser, 10).until(lambda b: "This article was saved by" in b.page_source)
    assert Article.objects.get(pk=article.pk).body.endswith("paragraph-e3.")
    assert console_errors() == []

"""The article form's closed groups say what they hold beside their headings, and keep saying it as the form
is edited: a story is checked at a glance, its groups closed."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from articles.models import Section
from articles.tests.factories import draft_by, make_picture
from tests.browsing import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def summaries(browser):
    found = {}
    for summary in browser.find_elements(By.CSS_SELECTOR, "#article_form details > summary h2"):
        note = summary.find_elements(By.CSS_SELECTOR, ".group-summary")
        heading = browser.execute_script("return arguments[0].firstChild.textContent.trim()", summary)
        found[heading] = note[0].text if note else None
    return found


def test_the_closed_groups_say_what_they_hold(browser, live_server, console_errors, writer):
    Section.objects.create(name="Harbour", position=2)
    politics = Section.objects.create(name="Politics", position=1)
    picture = make_picture(alt="Cranes at dawn")
    article = draft_by(writer, title="Quay vote", section=politics, tags=["Coast", "Harbour works"], lead_image=picture)
    sign_in(browser, live_server, writer)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    said = summaries(browser)
    assert said["Publishing"] == ": Draft · Politics"
    assert said["Pictures"] == f": Picture #{picture.pk}: Cranes at dawn"
    assert said["Bylines"] == ": Wendy Writer"
    assert said["Tags"] in (": Coast, Harbour works", ": Harbour works, Coast")
    assert said["Address"] == f": {article.slug}"
    assert not browser.find_elements(By.CSS_SELECTOR, "#article_form details[open] .field-section")

    browser.find_element(By.XPATH, "//summary[.//h2[starts-with(normalize-space(), 'Publishing')]]").click()
    Select(browser.find_element(By.ID, "id_section")).select_by_visible_text("Harbour")
    WebDriverWait(browser, 5).until(lambda b: summaries(b)["Publishing"] == ": Draft · Harbour")
    assert axe_violations(browser, console_errors) == []
    browser.delete_all_cookies()

"""The writing view's Ctrl+S while the form is already on its way, and its toolbar on a word chosen with a space."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from articles.models import Article
from articles.tests.factories import draft_by
from tests.browsing import leave, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ctrl_s_does_not_send_again_a_form_already_sent_by_a_button(browser, live_server, console_errors, writer):
    """A save already on its way (here one whose request never leaves) is not followed by a second one, which
    would be refused as out of date by the first."""
    article = draft_by(writer, title="Ferry strike", body="The crews walked out.")
    sign_in(browser, live_server, writer)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    browser.find_element(By.ID, "id_body").send_keys(Keys.END, " Talks resume.")
    sent = browser.execute_script(
        "var form = document.getElementById('id_body').form; window.sent = 0;"
        "form.addEventListener('submit', function () { window.sent += 1; });"
        "form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));"  # as a button sends it
        "return window.sent;"
    )
    assert sent == 1
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    assert browser.execute_script("return window.sent") == 1
    assert Article.objects.get(pk=article.pk).body == "The crews walked out."
    assert console_errors() == []
    leave(browser, live_server)


@pytest.mark.parametrize(
    ("chosen", "tool", "written"),
    [
        ("harbour ", "bold", "The **harbour** was quiet."),
        (" harbour", "italic", "The *harbour* was quiet."),
    ],
    ids=["space after", "space before"],
)
def test_a_word_chosen_with_its_space_is_marked_without_it(
    browser, live_server, console_errors, writer, chosen, tool, written
):
    text = "The harbour was quiet."
    article = draft_by(writer, title="Ferry strike", body=text)
    sign_in(browser, live_server, writer)
    browser.get(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    at = text.index(chosen)
    browser.execute_script(
        "var box = document.getElementById('id_body'); box.focus(); box.setSelectionRange(arguments[0], arguments[1]);",
        at,
        at + len(chosen),
    )
    browser.find_element(By.CSS_SELECTOR, f".writing-tool[data-tool={tool}]").click()
    assert browser.find_element(By.ID, "id_body").get_attribute("value") == written
    assert console_errors() == []
    leave(browser, live_server)

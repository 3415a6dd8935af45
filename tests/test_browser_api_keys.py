"""An editor makes an API key at a phone's width: the form, the page that shows the key once, the list and the
key's own page pass axe-core (WCAG 2.1 A and AA), log no console error and are no wider than the screen."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from api.models import ApiKey
from tests.browsing import arrived, axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}


def problems(browser, console_errors):
    wider = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return {"axe": axe_violations(browser, console_errors), "wider by": wider}


CLEAN = {"axe": [], "wider by": 0}


def test_an_editor_makes_a_key_at_a_phones_width(browser, live_server, console_errors, editor):
    sign_in(browser, live_server, editor)
    browser.set_window_size(*WIDTHS["phone"])
    browser.get(live_server.url + reverse("admin:api_apikey_add"))
    assert problems(browser, console_errors) == CLEAN
    browser.find_element(By.NAME, "name").send_keys("Preview app")
    Select(browser.find_element(By.NAME, "scope")).select_by_value("read-drafts")
    browser.find_element(By.NAME, "_save").click()
    arrived(browser, reverse("admin:api_apikey_add"))
    shown = browser.find_element(By.ID, "api-key").get_attribute("value")
    key = ApiKey.find(shown)
    assert key is not None and key.name == "Preview app" and key.reads_drafts
    assert problems(browser, console_errors) == CLEAN
    for label, size in WIDTHS.items():
        browser.set_window_size(*size)
        for url in (reverse("admin:api_apikey_changelist"), reverse("admin:api_apikey_change", args=[key.pk])):
            browser.get(live_server.url + url)
            assert shown not in browser.page_source
            assert problems(browser, console_errors) == CLEAN, (label, url)
    browser.set_window_size(1280, 900)
    browser.delete_all_cookies()

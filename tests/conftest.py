import shutil

import pytest

from tests.edgestack import edge, stack, worker  # noqa: F401 - the edge chain's fixtures (tests/edgestack.py)

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
]


def start_chromium():
    """Debian's headless Chromium through its own chromedriver; nothing is downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail(
            "browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture(scope="session")
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def second_browser():
    """Another person's browser (its own cookies and windows), for a test in which two people work at once."""
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def console_errors(browser):
    """Console errors the page logged; a browser test asserts there are none."""
    browser.get_log("browser")  # drop what earlier tests left

    def collect():
        return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]

    return collect

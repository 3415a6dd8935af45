"""What the browser tests share: waiting for a page, signing in through the login form, axe-core's findings."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def arrived(browser, path):
    """Wait until the click or key press has loaded ``path``, so no element of the old page is read."""
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith(path))
    WebDriverWait(browser, 10).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def sign_in(browser, live_server, user):
    user.set_password("Browser-test-pass-31")
    user.save()
    browser.get(live_server.url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(user.get_username())
    browser.find_element(By.NAME, "password").send_keys("Browser-test-pass-31", Keys.ENTER)
    arrived(browser, "/admin/")


def axe_violations(browser, console_errors, every_rule=False):
    """What axe-core (run in the page) finds against WCAG 2.x A and AA (or against all its rules, best practices
    such as landmarks and the order of headings included), as (rule, targets) pairs. The page's console is
    checked first: axe's own injected styles are refused by the CSP, which is not the page's fault."""
    from selenium_axe_python import Axe

    assert console_errors() == []
    axe = Axe(browser)
    axe.inject()
    wcag = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = axe.run(options=None if every_rule else wcag)
    browser.get_log("browser")  # what axe itself caused
    return [(v["id"], [node["target"] for node in v["nodes"]][:5]) for v in results["violations"]]


def leave(browser, live_server):
    """Leave the change form while still signed in (its script says goodbye to the server), then sign out."""
    browser.get(live_server.url + "/admin/")
    browser.delete_all_cookies()


def in_preview(browser, css, text=None):
    """The change form's live preview elements matching ``css`` (and holding ``text``), once it shows them, each as
    its text, attributes and, for a picture, whether it has loaded. The preview is a page of its own in a frame:
    they are read inside it, and the browser is back on the form after."""
    script = """return [...document.querySelectorAll(arguments[0])].map(e => ({text: e.textContent,
        attributes: Object.fromEntries([...e.attributes].map(a => [a.name, a.value])),
        loaded: e.complete === undefined ? null : e.complete && e.naturalWidth > 0}))"""
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.writing-preview-frame"))
    try:
        return WebDriverWait(browser, 10).until(
            lambda b: [e for e in b.execute_script(script, css) if text is None or text in e["text"]]
        )
    finally:
        browser.switch_to.default_content()


def open_groups(browser, *names):
    """Open the article form's closed groups so named (everything under the writing starts closed)."""
    for summary in browser.find_elements(By.CSS_SELECTOR, "#content-main fieldset > details > summary"):
        heading = browser.execute_script("return arguments[0].querySelector('h2').firstChild.textContent", summary)
        if heading.strip() in names:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
            summary.click()


def show_preview(browser, pane="Preview"):
    """Switch the body's pane to the preview (or back to "Write") where the screen is too narrow for both side by
    side; where it is wide enough, both are shown and there is no switch."""
    button = browser.find_element(By.XPATH, f"//button[normalize-space()='{pane}']")
    if button.is_displayed():
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()

"""The README's pictures of the desk (the admin's front page) as the demo's editor and as its writer, on a
desktop and on a phone, of the front page's board, and of a story waiting for review: its writing view and the
publish step its editor sees on pressing Publish.

Signs in with the logins `make run` printed (var/demo-login.txt, var/demo-writer-login.txt) through Debian's
headless Chromium, as the browser tests do, with Selenium from the test requirements (`make test` installs
them). Usage: .venv/bin/python docs/desk_screenshots.py [site]
"""

import os
import shutil
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("NEWSROOM_VAR_DIR", ROOT / "var"))
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]  # fmt: skip


def signed_in(site, login_file, width, path):
    """Chromium at this width, signed in through the login form and sent on to ``path``."""
    username, password = (VAR / login_file).read_text().split()
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    driver.set_window_size(width, 900 if width > 600 else 844)
    driver.get(f"{site}/admin/login/?next={path}")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password, Keys.ENTER)
    return driver


def whole_page(driver, width, picture):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height, 2400))
    driver.save_screenshot(str(ROOT / "docs" / picture))


def shoot(site, login_file, picture, width=1280, path="/admin/", ready=".desk-blocks"):
    driver = signed_in(site, login_file, width, path)
    try:
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))
        whole_page(driver, width, picture)
    finally:
        driver.quit()


def shoot_story(site, width, name):
    """The first story waiting for review, as its editor opens it from the desk, then its publish step (shown,
    not confirmed: nothing is published)."""
    driver = signed_in(site, "demo-login.txt", width, "/admin/")
    try:
        story = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".desk-review li a"))
        driver.get(story[0].get_attribute("href"))
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#action-bar"))
        driver.save_screenshot(str(ROOT / "docs" / f"writing-{name}.png"))
        driver.find_element(By.CSS_SELECTOR, "#action-bar button[value=publish]").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
        driver.save_screenshot(str(ROOT / "docs" / f"publish-step-{name}.png"))
    finally:
        driver.quit()


if __name__ == "__main__":
    site = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    shoot(site, "demo-login.txt", "desk-editor.png")
    shoot(site, "demo-writer-login.txt", "desk-writer.png")
    shoot(site, "demo-login.txt", "desk-editor-phone.png", width=390)
    board = {"path": "/admin/articles/pin/board/", "ready": ".board-list"}
    shoot(site, "demo-login.txt", "front-page-board.png", **board)
    shoot(site, "demo-login.txt", "front-page-board-phone.png", width=390, **board)
    shoot_story(site, 1440, "desktop")
    shoot_story(site, 390, "phone")
    print("docs/desk-*.png docs/front-page-board*.png docs/writing-*.png docs/publish-step-*.png")

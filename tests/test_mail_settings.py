"""Outgoing e-mail's connection from the environment (``newsroom/settings_mail.py``): STARTTLS on 587 by default,
SSL on 465 with NEWSROOM_EMAIL_SSL, and both at once refused when the settings load."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = "from django.conf import settings as s; print(s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, s.EMAIL_PORT)"


def settings_with(**environ):
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSROOM_EMAIL_")}
    env |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **environ}
    code = f"import django; django.setup(); {SHOW}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_starttls_on_587_unless_told_ssl_on_465():
    """The default is STARTTLS on 587; NEWSROOM_EMAIL_SSL turns STARTTLS off and moves the port to 465."""
    assert settings_with().stdout.split() == ["False", "True", "587"]
    assert settings_with(NEWSROOM_EMAIL_SSL="1").stdout.split() == ["True", "False", "465"]
    assert settings_with(NEWSROOM_EMAIL_SSL="1", NEWSROOM_EMAIL_PORT="2465").stdout.split() == ["True", "False", "2465"]
    assert settings_with(NEWSROOM_EMAIL_TLS="0").stdout.split() == ["False", "False", "587"]


def test_ssl_and_starttls_together_are_refused_by_name():
    """Django would refuse the pair only when the first message goes; the settings refuse it at start."""
    run = settings_with(NEWSROOM_EMAIL_SSL="1", NEWSROOM_EMAIL_TLS="1")
    assert run.returncode != 0
    assert "NEWSROOM_EMAIL_SSL and NEWSROOM_EMAIL_TLS are both on" in run.stderr


def test_every_mail_newsletter_and_api_variable_is_in_env_example_and_the_readme():
    """Each variable ``settings_mail.py``, ``settings_newsletters.py`` and ``settings_api.py`` read is listed in
    ``.env.example`` and named in the README."""
    read, named = set(), r'(?:os\.environ\.get|_list)\("(NEWSROOM_\w+)"'  # read as a value or as a list
    for module in ("settings_mail.py", "settings_newsletters.py", "settings_api.py"):
        read |= set(re.findall(named, (ROOT / "newsroom" / module).read_text()))
    listed = set(re.findall(r"^#?\s*(NEWSROOM_\w+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    readme = (ROOT / "README.md").read_text()
    assert read and sorted(read - listed) == []
    assert sorted(name for name in read if not re.search(rf"\b{name}\b", readme)) == []

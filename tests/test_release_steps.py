"""`make run` and `make serve` begin with the demo target, which runs every step the README's Production section
deploys a release with: a checkout brought up to date serves what a release would (renditions with AVIF and the
pictures' rights, HTML from the current renderer)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def release_steps():
    """The manage.py commands the README deploys each release with, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Each release is deployed with", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"`python manage\.py (\w+)", section)


def test_the_demo_target_runs_every_release_step_first():
    """The demo recipe opens with migrate, rerender_markdown and rewrite_renditions, as the README deploys."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    commands = re.findall(r"\$\(MANAGE\) (\w+)", recipe)
    steps = release_steps()
    assert steps == ["migrate", "rerender_markdown", "rewrite_renditions"]
    assert commands[: len(steps)] == steps

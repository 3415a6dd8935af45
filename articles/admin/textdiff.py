"""Differences between two texts as the admin shows them (revisions, an autosave against the saved article).

A unified diff from difflib's SequenceMatcher, marked up line by line. Not ``difflib.HtmlDiff``: its
character-level pass over replaced blocks is quadratic in their lines, and a rewritten 1,000-line body took
minutes to render, long enough for a page to time out.
"""

import difflib
from typing import NamedTuple

from django.utils.html import format_html, format_html_join


class FieldDiff(NamedTuple):
    """One field's differences as a page shows them: the field's label and the diff's ``<pre>``."""

    label: str
    table: str


SHOWN_LINES = 4000  # a diff longer than this is cut, with a note saying so


def _kind(line):
    if line.startswith(("+++", "---")):
        return "diff_file"
    if line.startswith("@@"):
        return "diff_hunk"
    return {"+": "diff_add", "-": "diff_sub"}.get(line[:1], "diff_same")


def html(before, after, old_label, new_label):
    """The unified diff of two texts as a ``<pre>``, each line a span classed by what it is."""
    lines = list(
        difflib.unified_diff(
            str(before or "").splitlines(), str(after or "").splitlines(), old_label, new_label, lineterm=""
        )
    )
    shown = format_html_join("\n", '<span class="{}">{}</span>', ((_kind(line), line) for line in lines[:SHOWN_LINES]))
    cut = format_html("\n… {} more lines", len(lines) - SHOWN_LINES) if len(lines) > SHOWN_LINES else ""
    return format_html('<pre class="text-diff">{}{}</pre>', shown, cut)

"""Differences between two texts as the admin shows them.

``words`` marks what changed word by word, as a reader would mark a printed page: struck-through deletions
(``<del>``) and underlined insertions (``<ins>``) in the running text, long unchanged stretches cut to their
ends. It compares paragraphs first, then the sentences of the paragraphs that changed, then the words of the
sentences that changed, and only runs of up to ``WORD_LIMIT`` words at a time: difflib's SequenceMatcher over
every word of a long body is quadratic in its common words ("the", commas), and a word-by-word pass over a
rewritten 10,000-word body took most of a second. For the same reason the lines or sentences both texts begin
and end with are set aside before comparing, and what is left is compared only when it has at most
``UNIT_LIMIT`` units a side and few repeated ones (``PAIR_LIMIT``): ten thousand identical lines took minutes.
A run too long to compare, or one with little left in common, is shown deleted and inserted whole, cut to
``SHOWN_CHARACTERS``. The revisions page uses it.

``html`` is the unified diff, line by line, of an autosave against the saved article (``views.autosave``).
Neither uses ``difflib.HtmlDiff``: its character-level pass over replaced blocks is quadratic in their lines,
and a rewritten 1,000-line body took minutes to render, long enough for a page to time out.
"""

import difflib
import os
import re
from collections import Counter
from typing import NamedTuple

from django.utils.html import escape, format_html, format_html_join


class FieldDiff(NamedTuple):
    """One field's differences as a page shows them: the field's label and the marked-up differences."""

    label: str
    table: str


SHOWN_LINES = 4000  # a unified diff longer than this is cut, with a note saying so

WORD_LIMIT = 1000  # words (and stops) on either side of one word-by-word comparison
KEPT_IN_COMMON = 0.5  # a run sharing less than this share of its words is shown replaced whole
CONTEXT = 200  # characters of unchanged text kept on each side of a change
SHOWN_CHARACTERS = 200_000  # marked-up text beyond this is cut, with a note saying so
UNIT_LIMIT = 2000  # lines or sentences on either side of one comparison, once the common ends are set aside
PAIR_LIMIT = 20_000  # pairs of equal lines or sentences, one from each side, difflib may weigh in one comparison

# A word or a stop with the spaces before it on its line; line breaks are words of their own.
_WORD = re.compile(r"[^\S\n]*\w+|[^\S\n]*[^\w\s]|\n\s*|[^\S\n]+")
_SENTENCE = re.compile(r"(?<=[.!?…:;])\s+|\n+")  # a sentence ends after a stop and its spaces, or a line
_LINE = re.compile(r"[^\n]*\n*")  # a line with the line breaks after it
_LINE_END = re.compile(r"\r\n?")
_TRAILING = re.compile(r"\s*$")


def _lines(text):
    return [line for line in _LINE.findall(text) if line]


def _sentences(text):
    ends = [match.end() for match in _SENTENCE.finditer(text)]
    return [text[start:end] for start, end in zip([0, *ends], [*ends, len(text)], strict=True) if start < end]


def _words(text):
    return _WORD.findall(text)


def _same(parts, old, new):
    """``old`` deleted and ``new`` inserted whole, but for the line breaks both end with, which stay."""
    both = os.path.commonprefix([_TRAILING.search(old).group()[::-1], _TRAILING.search(new).group()[::-1]])
    kept = len(both) if both != old[::-1] and both != new[::-1] else 0
    if old[: len(old) - kept]:
        parts.append(("-", old[: len(old) - kept]))
    if new[: len(new) - kept]:
        parts.append(("+", new[: len(new) - kept]))
    if kept:
        parts.append(("=", old[len(old) - kept :]))


def _compare_words(old, new, parts):
    """Word by word, or whole when the two share too little to mark word by word."""
    before, after = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    # Line breaks and spaces are not counted as words in common: two paragraphs share those.
    kept = sum(1 for block in matcher.get_matching_blocks() for word in before[block.a : block.a + block.size]
               if not word.isspace())  # fmt: skip
    if kept < KEPT_IN_COMMON * min(sum(not word.isspace() for word in words) for words in (before, after)):
        _same(parts, old, new)
        return
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(before[i1:i2])))
        else:
            _same(parts, "".join(before[i1:i2]), "".join(after[j1:j2]))


def _common_ends(old, new):
    """How many units the two lists begin with in common, and how many they then end with."""
    shorter = min(len(old), len(new))
    start = 0
    while start < shorter and old[start] == new[start]:
        start += 1
    end = 0
    while end < shorter - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _too_many(old, new):
    """Whether difflib would take too long over these units: too many of them, or too many repeated."""
    if len(old) > UNIT_LIMIT or len(new) > UNIT_LIMIT:
        return True
    counts = Counter(new)
    return sum(counts[unit] for unit in old) > PAIR_LIMIT


def _compare(old_units, new_units, split_next, parts):
    """Compare two lists of units (lines, then sentences); a changed run goes down to the next level."""
    start, end = _common_ends(old_units, new_units)
    parts.append(("=", "".join(old_units[:start])))
    tail = "".join(old_units[len(old_units) - end :])
    old_units, new_units = old_units[start : len(old_units) - end], new_units[start : len(new_units) - end]
    if _too_many(old_units, new_units):
        _same(parts, "".join(old_units), "".join(new_units))
        opcodes = []
    else:
        opcodes = difflib.SequenceMatcher(None, old_units, new_units, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        old, new = "".join(old_units[i1:i2]), "".join(new_units[j1:j2])
        if tag == "equal":
            parts.append(("=", old))
        elif tag != "replace":
            _same(parts, old, new)
        elif len(_words(old)) <= WORD_LIMIT and len(_words(new)) <= WORD_LIMIT:
            _compare_words(old, new, parts)
        elif split_next is not None:
            _compare(split_next(old), split_next(new), None, parts)
        elif i2 - i1 == j2 - j1:  # as many sentences on each side: compared in pairs
            for before, after in zip(old_units[i1:i2], new_units[j1:j2], strict=True):
                if len(_words(before)) <= WORD_LIMIT and len(_words(after)) <= WORD_LIMIT:
                    _compare_words(before, after, parts)
                else:
                    _same(parts, before, after)
        else:
            _same(parts, old, new)
    parts.append(("=", tail))


def _plain(text):
    """A text with its line breaks as one character, whichever a browser or a file wrote (CR LF, CR or LF):
    a story typed in a form and one imported differ in nothing a reader sees."""
    return _LINE_END.sub("\n", str(text or ""))


def word_changes(before, after):
    """[(kind, text)]: the two texts as runs kept ("="), deleted ("-") and inserted ("+"), in reading order."""
    parts = []
    _compare(_lines(_plain(before)), _lines(_plain(after)), _sentences, parts)
    return _merged(_spaces_kept(_merged(parts)))


def _merged(parts):
    merged = []
    for kind, text in parts:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    return merged


def _spaces_kept(parts):
    """A word replaced by another reads "the <del>quiet</del><ins>loud</ins> sea", without the space marked."""
    kept = []
    for kind, text in parts:
        if kind == "+" and kept and kept[-1][0] == "-":
            deleted = kept[-1][1]
            space = re.match(r"[^\S\n]*", deleted).group()
            if space and text.startswith(space):
                kept[-1:] = [("=", space), ("-", deleted[len(space) :])]
                text = text[len(space) :]
        kept.append((kind, text))
    return kept


def _cut(text, keep_start, keep_end):
    """Unchanged text as shown between changes: its ends kept, the middle said in words."""
    if len(text) <= keep_start + keep_end + CONTEXT:
        return escape(text)
    head = re.sub(r"\S+$", "", text[:keep_start]) if keep_start else ""  # whole words only
    tail = re.sub(r"^\S+", "", text[len(text) - keep_end :]) if keep_end else ""
    skipped = len(re.findall(r"\w+", text[len(head) : len(text) - len(tail)]))
    return format_html('{}<span class="diff-skip">[… {} words unchanged …]</span>{}', head, skipped, tail)


def words(before, after):
    """The differences between two texts as marked-up running text, in a ``<div class="word-diff">``."""
    changes = word_changes(before, after)
    shown, length = [], 0
    for index, (kind, text) in enumerate(changes):
        if length > SHOWN_CHARACTERS:
            shown.append(format_html('<span class="diff-skip">[… the rest is cut: {} more changes]</span>',
                                     sum(1 for k, _ in changes[index:] if k != "=")))  # fmt: skip
            break
        if kind == "=":
            piece = _cut(text, CONTEXT if index else 0, CONTEXT if index < len(changes) - 1 else 0)
        else:
            room = SHOWN_CHARACTERS - length
            piece = format_html("<{tag}>{}</{tag}>", text[:room], tag="del" if kind == "-" else "ins")
            if len(text) > room:
                piece += format_html('<span class="diff-skip">[… {} more characters]</span>', len(text) - room)
        shown.append(piece)
        length += len(piece)
    return format_html('<div class="word-diff">{}</div>', format_html_join("", "{}", ((piece,) for piece in shown)))


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

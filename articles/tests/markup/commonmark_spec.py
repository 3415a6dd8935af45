"""The CommonMark spec's examples against Hugo's HTML for them, and the named classes of difference.

Every example renders as Hugo rendered it (fidelity/commonmark/hugo.json) once the comparison has applied the
deliberate differences of `comparison.py`, or it is listed in a class of SPEC_DIFFERENCES below, which says
what differs and why. A class with an `undo` can be checked: undoing its stated difference (on the canonical
items of both sides) must make the two equal, and must be needed to. `test_commonmark.py` runs the checks;
`commonmark_report.py` prints how many examples each class holds.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from articles.markup import markdown
from articles.markup.sanitizer import URL_SCHEMES
from articles.tests.markup.comparison import DELIBERATE_DIFFERENCES, canonical, compare

SPEC_DIRECTORY = Path(__file__).resolve().parent / "fidelity" / "commonmark"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _links_unwrapped(ours, hugo, example):
    return _unwrap_unlisted_links(ours), _unwrap_unlisted_links(hugo)


def _no_empty_class(ours, hugo, example):
    return [_without_empty_class(item) for item in ours], hugo


def _comments_as_text(ours, hugo, example):
    return canonical(markdown.render_markdown(example["markdown"].replace("<!--", "\\<!--")), ours=True), hugo


def _as_the_spec_says(ours, hugo, example):
    return ours, canonical(example["html"], ours=False)


@dataclass(frozen=True)
class Difference:
    description: str
    examples: frozenset
    undo: Callable | None = None  # (our items, Hugo's items, the example) -> both, with the difference undone
    provisional: bool = False  # a fault being fixed, listed until the fix is in


SPEC_DIFFERENCES = {
    "symbols beside emphasis": Difference(
        "Hugo 0.111 is built with Goldmark 1.5.4, which implements CommonMark 0.30; markdown-it-py implements "
        "0.31.2, which counts symbols such as £ and € as punctuation, so `*£*bravo` is no emphasis. We render "
        "what the current spec says. Checked: our HTML equals the spec's.",
        frozenset({354}),
        _as_the_spec_says,
    ),
    "comments": Difference(
        "CommonMark 0.31.2 (markdown-it-py) reads `<!-->`, `<!--->` and a comment holding `--` as HTML "
        "comments, raw HTML that we leave out; Goldmark 1.5.4 (CommonMark 0.30) prints them as text, its "
        "dashes set by the typographer. Checked: with the comments' `<` escaped in the source, our HTML "
        "equals Hugo's.",
        frozenset({625, 626}),
        _comments_as_text,
    ),
    "unlisted link schemes": Difference(
        "An autolink whose scheme is not in sanitizer.URL_SCHEMES (`irc:`, `localhost:`, made-up schemes) "
        "loses its address in the sanitiser and is left an `<a>` with no href. Checked: with such links "
        "reduced to their text on both sides, the two are equal.",
        frozenset({596, 598, 599, 601}),
        _links_unwrapped,
        provisional=True,
    ),
    "empty class attribute": Difference(
        'A code block in a language the stylesheet does not list keeps an empty class="" (Hugo\'s '
        'language class is removed under the deliberate difference "classes"). Checked: with empty class '
        "attributes removed from ours, the two are equal.",
        frozenset({24, 34, 142, 143, 144, 146}),
        _no_empty_class,
        provisional=True,
    ),
}


@dataclass(frozen=True)
class Outcome:
    number: int
    ours: list  # canonical items
    hugo: list
    deliberate: frozenset  # the deliberate differences of comparison.py this example showed
    listed: tuple  # the names of the SPEC_DIFFERENCES that list it

    @property
    def identical(self):
        return self.ours == self.hugo


@cache
def examples():
    """The spec's examples, each with Hugo's HTML under "hugo"."""
    spec = json.loads((SPEC_DIRECTORY / "spec.json").read_text(encoding="utf-8"))
    hugo = json.loads((SPEC_DIRECTORY / "hugo.json").read_text(encoding="utf-8"))
    return {example["example"]: {**example, "hugo": hugo[str(example["example"])]} for example in spec}


def outcome(number):
    example = examples()[number]
    ours, hugo, deliberate = compare(markdown.render_markdown(example["markdown"]), example["hugo"])
    listed = tuple(name for name, difference in SPEC_DIFFERENCES.items() if number in difference.examples)
    return Outcome(number, ours, hugo, frozenset(deliberate), listed)


def undone(outcome, names):
    """Both sides with the stated differences of the classes `names` undone."""
    ours, hugo = outcome.ours, outcome.hugo
    for name in names:
        ours, hugo = SPEC_DIFFERENCES[name].undo(ours, hugo, examples()[outcome.number])
    return ours, hugo


def counts(outcomes):
    """{class: number of examples} for the deliberate differences and SPEC_DIFFERENCES, and "identical"."""
    tally = {"identical": sum(outcome.identical for outcome in outcomes)}
    for name in DELIBERATE_DIFFERENCES:
        tally[name] = sum(name in outcome.deliberate for outcome in outcomes)
    for name in SPEC_DIFFERENCES:
        tally[name] = sum(name in outcome.listed for outcome in outcomes)
    return tally


def _map_text(items, change):
    return [("text", change(item[1])) if item[0] == "text" else item for item in items]


def _without_empty_class(item):
    if item[0] != "start":
        return item
    return item[:2] + (tuple(attribute for attribute in item[2] if attribute != ("class", "")),)


def _unlisted_link(item):
    href = dict(item[2]).get("href")
    if href is None:
        return True
    scheme = _SCHEME.match(href)
    return scheme is not None and scheme.group(1).lower() not in URL_SCHEMES


def _unwrap_unlisted_links(items):
    """The items with every <a> that has no address, or one in a scheme not allowed, reduced to its text."""
    out, unwrapped = [], []
    for item in items:
        if item[:2] == ("start", "a"):
            unwrapped.append(_unlisted_link(item))
            if unwrapped[-1]:
                continue
        elif item[:2] == ("end", "a") and unwrapped and unwrapped.pop():
            continue
        if item[0] == "text" and out and out[-1][0] == "text":
            item = ("text", out.pop()[1] + item[1])
        out.append(item)
    return out

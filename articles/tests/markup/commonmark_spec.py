"""The CommonMark spec's examples against Hugo's HTML for them, and the named classes of difference.

Every example renders as Hugo rendered it (fidelity/commonmark/hugo.json) once the comparison has applied the
deliberate differences of `comparison.py`, or it is listed in a class of SPEC_DIFFERENCES below, which says
what differs and why. A class with an `undo` can be checked: undoing its stated difference (on the canonical
items of both sides) must make the two equal, and must be needed to. `test_commonmark.py` runs the checks;
`commonmark_report.py` prints how many examples each class holds.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from articles.markup import markdown
from articles.tests.markup.comparison import DELIBERATE_DIFFERENCES, canonical, compare

SPEC_DIRECTORY = Path(__file__).resolve().parent / "fidelity" / "commonmark"


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

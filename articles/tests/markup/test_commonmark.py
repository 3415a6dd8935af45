"""Every example of the CommonMark spec renders as Hugo renders it, or differs only as a named class says.

The examples and Hugo 0.111.3's HTML for each are in `fidelity/commonmark/`; the classes of difference and
their checks are in `commonmark_spec.py`. Run with `-s` to see how many examples each class holds.
"""

import pytest

from articles.tests.markup import commonmark_spec
from articles.tests.markup.commonmark_spec import SPEC_DIFFERENCES, counts, examples, outcome, undone

NUMBERS = sorted(examples())


def test_the_whole_spec_is_here():
    """All 652 examples of spec 0.31.2, numbered 1 to 652, each with Hugo's HTML."""
    assert list(range(1, 653)) == NUMBERS
    assert all(isinstance(example["hugo"], str) for example in examples().values())
    readme = (commonmark_spec.SPEC_DIRECTORY / "README.md").read_text(encoding="utf-8")
    assert "0.31.2" in readme and "CC-BY-SA 4.0" in readme


def test_every_class_is_described_and_lists_real_examples():
    for name, difference in SPEC_DIFFERENCES.items():
        assert difference.description.strip(), name
        assert difference.examples and difference.examples <= set(NUMBERS), name


@pytest.mark.parametrize("number", NUMBERS)
def test_example_renders_as_hugo_does_or_as_its_class_says(number):
    result = outcome(number)
    if result.identical:
        assert not result.listed, f"example {number} renders as Hugo does but is listed in {result.listed}"
        return
    assert result.listed, (
        f"example {number} differs from Hugo's in no documented class\n"
        f"markdown: {examples()[number]['markdown']!r}\nours: {result.ours}\nHugo: {result.hugo}"
    )
    checkable = [name for name in result.listed if SPEC_DIFFERENCES[name].undo is not None]
    if len(checkable) < len(result.listed):
        return  # a class with no mechanical check vouches for the rest
    ours, hugo = undone(result, checkable)
    assert ours == hugo, f"example {number}: more differs than {checkable} say\nours: {ours}\nHugo: {hugo}"
    for name in checkable:
        others = [other for other in checkable if other != name]
        ours, hugo = undone(result, others)
        assert ours != hugo, f"example {number} is listed in {name!r} but does not differ that way"


def test_the_class_checks_can_fail():
    """Undoing a class's difference does not hide another: a lost emphasis is still caught."""
    result = outcome(354)  # a symbols-beside-emphasis example
    broken = commonmark_spec.Outcome(354, [*result.ours, ("text", "*")], result.hugo, result.deliberate, result.listed)
    ours, hugo = undone(broken, result.listed)
    assert ours != hugo


def test_counts_per_class():
    """Each example is identical or in a class; the counts per class (printed with -s) are the README's."""
    outcomes = [outcome(number) for number in NUMBERS]
    assert sum(1 for result in outcomes if result.identical or result.listed) == len(NUMBERS)
    print("\nCommonMark spec examples against Hugo 0.111.3:")
    for name, count in counts(outcomes).items():
        print(f"  {count:4}  {name}")

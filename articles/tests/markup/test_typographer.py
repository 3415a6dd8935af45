"""Quotation marks and apostrophes as Hugo's typographer sets them.

The news-style sentences are in the fidelity corpus (`fidelity/45-quotation-marks.md`, compared with Hugo's
HTML by test_fidelity) and the spec's examples in test_commonmark. Here: what Hugo does with quotes across
paragraphs and notes, what stays straight, the time a long run of quotes takes, that the rule changes nothing
but quotes, and that a closing double quote never comes before the opening one that Goldmark counts for it.
"""

import functools
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.markup import markdown


def test_a_quotation_over_paragraphs_opens_each_one():
    """The counts run over the document: each paragraph opens, the last one closes."""
    html_out = markdown.render_markdown('"One.\n\n"Two.\n\n"Three," she said.')
    assert html_out == "<p>\u201cOne.</p>\n<p>\u201cTwo.</p>\n<p>\u201cThree,\u201d she said.</p>"


def test_footnotes_count_where_they_are_written():
    """A note's quote opened before the paragraph after it closes that paragraph's quote at the line end, as in
    Goldmark, which reads a note where it stands, not where it is shown."""
    source = 'See this[^1].\n\n[^1]: A note that opens "here.\n\nThen this ends."\n'
    out = markdown.render_markdown(source)
    assert "Then this ends.\u201d" in out and "opens \u201chere." in out


def test_quotes_in_code_escapes_and_image_alt_text_stay_straight():
    out = markdown.render_markdown('`"a"` \\"b\\" &quot;c&quot; ![say "d"](/x.png) "e"')
    assert '<code>"a"</code> "b" "c" <img src="/x.png" alt="say &quot;d&quot;"' in out
    assert "\u201ce\u201d" in out


def test_a_long_run_of_quotes_takes_linear_time():
    """Each quote costs a fixed amount of work, however many quotes are around it."""

    def seconds(size):
        body = ('"' * size + "'" * size + " x'\"") * 4
        start = time.perf_counter()
        markdown.render_markdown(body)
        return time.perf_counter() - start

    seconds(500)
    assert seconds(20_000) < 20 * seconds(2_000) + 0.3


_TEXT = st.text(alphabet=st.sampled_from(list("\"'\"'aZé9 .,;:!?()-*_\n")), max_size=120)
_UNCURL = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": "&quot;", "\u201d": "&quot;"})


@functools.cache
def _parsers():
    """(the configured parser, the same without the quotation marks rule)."""
    plain = markdown._build()
    plain.core.ruler.disable("quotation_marks")
    return markdown._build(), plain


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_the_typographer_changes_nothing_but_quotes(text):
    """Straightening the curly quotes of a rendering gives the rendering without the typographer."""
    with_quotes, plain = _parsers()
    assert with_quotes.render(text).translate(_UNCURL) == plain.render(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_no_closing_double_quote_before_its_opening_one(text):
    """Goldmark closes a double quote only against one it opened earlier in the document: in every prefix of
    the output there are at least as many \u201c as \u201d."""
    opened = 0
    for char in _parsers()[0].render(text):
        opened += (char == "\u201c") - (char == "\u201d")
        assert opened >= 0

"""Bodies render as Hugo renders them.

Each document in `fidelity/` sits beside the HTML that Hugo 0.111 (Goldmark, default configuration,
code-fence highlighting off) produced for it; `fidelity/regenerate.py` makes those files again. The
comparison (`comparison.py`) reads both outputs as a browser would (entities decoded, attribute order
and whitespace between blocks ignored) and then applies the differences the project makes on purpose,
which are all listed in its DELIBERATE_DIFFERENCES.
"""

from pathlib import Path

import pytest

from articles.markup import markdown
from articles.tests.markup.comparison import canonical

CORPUS = Path(__file__).resolve().parent / "fidelity"
DOCUMENTS = sorted(CORPUS.glob("*.md"))


def test_corpus_covers_commonmark_and_the_extensions():
    """At least forty documents, each with Hugo's HTML beside it, and the Hugo version recorded."""
    assert len(DOCUMENTS) >= 40
    assert all(document.with_suffix(".html").exists() for document in DOCUMENTS)
    assert "hugo v0.111" in (CORPUS / "HUGO_VERSION").read_text()


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_renders_as_hugo_does(document):
    """Our reader HTML equals Hugo's once the deliberate differences are applied."""
    source = document.read_text(encoding="utf-8")
    hugo = document.with_suffix(".html").read_text(encoding="utf-8")
    ours = markdown.render_markdown(source)
    assert canonical(ours, ours=True) == canonical(hugo, ours=False)


def test_the_comparison_can_fail():
    """A real difference (a lost list) is caught by the comparison."""
    hugo = (CORPUS / "13-list-after-paragraph.html").read_text(encoding="utf-8")
    assert canonical("<p>Intro line - one - nested two - three</p>", ours=True) != canonical(hugo, ours=False)

"""The same source renders to the same bytes: in one process however often it is rendered, in processes with
different hash seeds (Python's, and the one the sanitiser's Rust hash maps draw for each process), and when
``rerender_markdown`` renders stored HTML again. Stored HTML and the ETags made from it change only when the text
does."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.markup import markdown
from articles.models import Article, Author, Correction
from articles.tests.factories import make_article, make_author
from articles.tests.markup.commonmark_spec import examples

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(__file__).resolve().parent / "fidelity"
SITE = "example.org"

# Every construction to which the renderer or the sanitiser adds, drops or reorders attributes.
BODIES = {
    "image": '![A harbour at dawn](https://cdn.example/harbour.jpg "The harbour")',
    "inline image": "Before ![a ferry](https://cdn.example/ferry.jpg) after.",
    "task list": "- [x] filed\n- [ ] checked\n- [X] subbed",
    "embed": (
        '<iframe height="315" allowfullscreen src="https://www.youtube-nocookie.com/embed/abc" width="560"></iframe>'
    ),
    "embed with a title": '<iframe src="https://player.vimeo.com/video/1" title="The launch"></iframe>',
    "table": "| left | centre | right | none |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |",
    "footnotes": "A claim.[^1] Another.[^note] Again.[^1]\n\n[^1]: The source.\n[^note]: A note.",
    "library figure": '![The harbour](image:12 "Boats at dawn")\n\nText ![inline](image:13) text.',
    "unshown picture": "![a file](file:///etc/passwd) and ![nothing](image:abc)",
    "links": '[in](/articles/x/) [out](https://other.example/y "Elsewhere") <https://x.org> www.example.net '
    "[mail](mailto:desk@example.org) [self](https://example.org/z)",
    "headings": "# Top\n\n## Same\n\n## Same {#custom .wide lang=en}\n\n### Fine print\n\n[up](#same)",
    "code": "```python\nprint(1)\n```\n\n```cobol\nDISPLAY 'X'.\n```\n\n    indented",
}


def renderings(texts):
    return [markdown.render_markdown(text, site_host=SITE) for text in texts]


def corpus():
    """The bodies above, every document of the fidelity corpus and every example of the CommonMark spec."""
    documents = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))]
    spec = [example["markdown"] for example in examples().values()]
    return list(BODIES.values()) + documents + spec


@pytest.mark.parametrize("name", BODIES)
def test_a_body_rendered_a_hundred_times_gives_one_result(name):
    results = {markdown.render_markdown(BODIES[name], site_host=SITE) for _ in range(100)}
    assert len(results) == 1, results


def test_processes_with_different_hash_seeds_give_the_same_bytes():
    """Each process seeds its hash maps afresh (Python's from PYTHONHASHSEED, the sanitiser's at random): four
    processes render the bodies, the fidelity corpus and the spec's examples exactly as this one does."""
    script = (
        "import json, sys, django; django.setup(); from articles.markup.markdown import render_markdown; "
        f"print(json.dumps([render_markdown(text, site_host={SITE!r}) for text in json.load(sys.stdin)]))"
    )
    texts, expected = corpus(), renderings(corpus())
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "PYTHONHASHSEED": seed},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("0", "1", "4242", "random")
    ]
    for process in processes:
        out, _ = process.communicate(json.dumps(texts), timeout=120)
        assert process.returncode == 0
        assert json.loads(out) == expected


@pytest.mark.django_db
def test_rendering_stored_html_again_changes_nothing():
    """``rerender_markdown --all`` run a second time stores the very bytes the first run stored, for bodies, bios
    and corrections."""
    for name, text in BODIES.items():
        article = make_article(title=f"Same bytes: {name}", body=text)
        Correction.objects.create(article=article, text=text)
        make_author(name=f"Writer of the {name}", bio=text)

    def stored():
        return (
            list(Article.objects.order_by("pk").values_list("body_html", flat=True)),
            list(Author.objects.order_by("pk").values_list("bio_html", flat=True)),
            list(Correction.objects.order_by("pk").values_list("text_html", flat=True)),
        )

    saved = stored()
    call_command("rerender_markdown", "--all", stdout=StringIO())
    first = stored()
    call_command("rerender_markdown", "--all", stdout=StringIO())
    assert stored() == first == saved
    assert 'loading="lazy"' in "".join(first[0]) and "<iframe" in "".join(first[0])

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.markup.markdown import render_markdown
from articles.markup.reading import reading_minutes, word_count
from articles.markup.sanitizer import sanitize
from articles.models import Correction
from articles.tests.factories import make_article, make_author

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" OnError="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    "[a](vbscript:msgbox(1))",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input autofocus onfocus="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
    '<p title="</p><script>alert(1)</script>">x</p>',
    "<!--<script>alert(1)</script>-->",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<details open ontoggle=alert(1)>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<a href="#" onclick="alert(1)">x</a>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<div><p><b>unclosed <i>nesting</div></b>",
    "> " * 5000 + "deep quote",
    "*" * 20000,
    "[" * 5000 + "x" + "]" * 5000,
    "- " * 3000 + "deep list",
    "<div>" * 3000 + "deep divs" + "</div>" * 3000,
    "\x00\x01\x02 control \x1b[31m characters",
    "A" * 200_000,
]


class TagCollector(HTMLParser):
    """The tags and attributes a browser would see in the output."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


@pytest.mark.parametrize("source", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_neutralised(source):
    """No script, handler, script URL, foreign frame or style survives rendering, and nothing crashes."""
    parsed = TagCollector(render_markdown(source))
    forbidden = {"script", "style", "object", "embed", "form", "meta", "base", "link", "svg", "math", "iframe"}
    assert not parsed.tags & forbidden
    for tag, name, value in parsed.attributes:
        if tag == "input":  # only a task list's box, which cannot be typed into or submitted
            assert name in {"type", "disabled", "checked", "aria-label"} and (name != "type" or value == "checkbox")
        assert not name.startswith("on"), (tag, name)
        assert name not in {"style", "srcdoc", "background", "action"}, (tag, name)
        if name in {"href", "src"}:
            scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
            assert scheme in {"", "http", "https", "mailto", "tel"}, (tag, name, value)


def test_corpus_is_large_enough():
    """The hostile corpus keeps at least thirty cases."""
    assert len(HOSTILE) >= 30


def test_newsroom_markdown_features():
    """Tables, fenced code, footnotes, heading ids and smart quotes all render."""
    html = render_markdown(
        '## Key "facts"\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint(1)\n```\n\nClaim.[^1]\n\n[^1]: Source.'
    )
    assert '<h2 id="md-key-facts">Key \u201cfacts\u201d</h2>' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<code class="language-python">print(1)' in html
    assert 'class="footnote-ref"' in html and '<div class="footnotes" role="doc-endnotes">' in html


def test_h1_in_a_body_becomes_h2():
    """The page's only h1 is the headline."""
    assert render_markdown("# Section") == '<h2 id="md-section">Section</h2>'


def test_external_links_get_rel_internal_links_do_not():
    """External links open no window reference and send no referrer; site links are left alone. The renderer is
    told the site's host by its caller; told none, every absolute link leaves the site."""
    text = "[out](https://example.org/x) and [in](/articles/x/) and [self](http://127.0.0.1:8000/a/) and [far](//x.org)"
    html = render_markdown(text, site_host="127.0.0.1")
    assert '<a href="https://example.org/x" rel="noopener noreferrer">out</a>' in html
    assert '<a href="/articles/x/">in</a>' in html
    assert '<a href="http://127.0.0.1:8000/a/">self</a>' in html
    assert '<a href="//x.org" rel="noopener noreferrer">far</a>' in html
    assert '<a href="http://127.0.0.1:8000/a/" rel="noopener noreferrer">self</a>' in render_markdown(text)


def test_raw_html_is_left_out_as_hugo_leaves_it_out():
    """Raw HTML is not rendered (Hugo's `unsafe = false`); its text stays, and linkified addresses get rel."""
    html = render_markdown(
        '<p><a href="https://example.org/?a=1&b=2" title="a > b">x</a></p>\n\nSee https://example.org/?a=1&b=2'
    )
    assert '<a href="https://example.org/?a=1&amp;b=2" title' not in html
    assert html.endswith(
        '<p>See <a href="https://example.org/?a=1&amp;b=2" rel="noopener noreferrer">https://example.org/?a=1&amp;b=2</a></p>'
    )
    assert render_markdown("Some <b>bold</b> words.") == "<p>Some bold words.</p>"


def test_images_are_lazy():
    """Images load lazily and decode off the main thread."""
    html = render_markdown("![A harbour](https://example.org/a.jpg)")
    assert 'loading="lazy"' in html and 'decoding="async"' in html and 'alt="A harbour"' in html


def test_allowlisted_embeds_are_kept():
    """A YouTube embed survives; the same tag from another host does not."""
    html = sanitize('<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315"></iframe>')
    assert html.startswith('<iframe src="https://www.youtube-nocookie.com/embed/abc"')
    assert sanitize('<iframe src="https://evil.example/embed"></iframe>') == ""


def test_leading_duplicates_of_title_and_lead_image_are_dropped():
    """A body repeating the lead image and the headline does not show them twice."""
    body = "![](https://cdn.example/lead.jpg)\n\n### The Headline\n\nText."
    html = render_markdown(body, title="The headline", lead_image_url="https://cdn.example/lead.jpg")
    assert html == "<p>Text.</p>"


def test_an_empty_first_heading_is_kept_when_there_is_no_title():
    """Two empty strings are no repeat: a bio or correction, rendered with no title, keeps its empty heading."""
    assert render_markdown("#\n\nText.") == '<h2 id="md-heading"></h2>\n<p>Text.</p>'
    assert render_markdown("## \n\nText.", title="  ") == '<h2 id="md-heading"></h2>\n<p>Text.</p>'


def test_a_first_heading_repeating_the_title_still_goes():
    assert render_markdown("## The  Title\n\nText.", title="the title") == "<p>Text.</p>"
    assert render_markdown("#\n\nText.", title="A title") == '<h2 id="md-heading"></h2>\n<p>Text.</p>'


@pytest.mark.django_db
def test_a_bio_and_a_correction_keep_their_empty_first_heading(client):
    author = make_author("Lois Lane", bio="#\n\nBio-marker-5K.")
    article = make_article(authors=[author])
    Correction.objects.create(article=article, text="## \n\nCorrection-marker-5K.")
    bio = client.get(author.get_absolute_url()).content.decode()
    assert '<div class="bio"><h2 id="md-heading"></h2>\n<p>Bio-marker-5K.</p></div>' in bio
    corrections = client.get(reverse("articles:corrections")).content.decode()
    assert '<h2 id="md-heading"></h2>\n<p>Correction-marker-5K.</p>' in corrections


def test_a_different_leading_image_is_kept():
    """Only an identical image is treated as a duplicate."""
    html = render_markdown("![](https://cdn.example/other.jpg)\n\nText.", lead_image_url="https://cdn.example/a.jpg")
    assert "other.jpg" in html


def test_word_count_and_reading_time():
    """Reading time rounds to whole minutes, never zero."""
    assert word_count("One two, three.") == 3
    assert reading_minutes("word " * 10) == 1
    assert reading_minutes("word " * 1150) == 5

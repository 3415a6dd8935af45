"""The markdown-it renderer: bounded time on hostile bodies, the size limit, the preview's limits, the
re-render of stored HTML, and the bulk import path."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

from articles.markup import limits, markdown
from articles.models import Article, Author, Correction
from articles.tests.factories import (
    change_url,
    draft_by,
    form_data,
    make_article,
    make_author,
    refresh,
)
from articles.tests.hostile import constructions

OVER_LIMIT = "x" * (limits.MAX_SOURCE_BYTES + 1)


@pytest.mark.parametrize(("name", "body"), constructions(), ids=[name for name, _ in constructions()])
def test_hostile_constructions_render_to_bounded_safe_html(name, body):
    """Each finishes (the benchmark times them) with output no larger than a small multiple of the input."""
    html = markdown.render_markdown(body)
    assert "<script" not in html and len(html) < 12 * len(body) + 1000


def test_deep_nesting_stops_at_a_fixed_depth():
    """Past 20 levels the parser stops nesting (markdown-it's bound): no stack overflow, no 50,000-deep page."""
    html = markdown.render_markdown("> " * 50_000 + "deep")
    assert html.count("<blockquote>") == html.count("</blockquote>") == 20
    assert markdown.render_markdown("> " * 19 + "nineteen deep").count("nineteen deep") == 1


def test_an_embed_on_its_own_line_is_kept_other_raw_html_is_not():
    html = markdown.render_markdown(
        'Before.\n\n<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315"></iframe>\n\n'
        'Inline <iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe> and <b>bold</b>.\n\n'
        '<iframe src="https://evil.example/embed"></iframe>'
    )
    assert html.count("<iframe") == 1 and 'src="https://www.youtube-nocookie.com/embed/abc"' in html
    assert "evil.example" not in html and "<b>" not in html and "Inline  and bold." in html


def test_links_to_the_body_s_own_headings_and_notes_follow_the_prefix():
    body = "## Background\n\n[up](#background) [note](#fn:1) [out](#elsewhere)[^1]\n\n[^1]: N."
    html = markdown.render_markdown(body)
    assert 'href="#md-background"' in html and 'href="#md-fn:1"' in html and 'href="#elsewhere"' in html
    assert 'id="md-background"' in html and 'id="md-fn:1"' in html


def test_task_lists_strikethrough_linkify_and_lists_after_a_paragraph():
    """The differences from Hugo that the issue measured are gone."""
    html = markdown.render_markdown(
        "Intro line\n- one\n  - nested two\n- three\n\n1) x\n2) y\n\n- [x] done\n\n~~struck~~ https://example.org"
    )
    assert "<p>Intro line</p>\n<ul>\n<li>one\n<ul>\n<li>nested two</li>" in html
    assert "<ol>\n<li>x</li>" in html and "<del>struck</del>" in html
    assert '<li><input checked="" type="checkbox" disabled="" aria-label="Task"> done</li>' in html
    assert '<a href="https://example.org" rel="noopener noreferrer">https://example.org</a>' in html


@given(
    st.sampled_from(["", "http://", "https://", "/", "HTTPS://", "//", "mailto:"]),
    st.text(alphabet="abcXYZ019;/?:@&=+$,-_.!~*'()#%[] \u00e9", max_size=40),
)
def test_the_link_fast_path_gives_what_markdown_it_gives(prefix, rest):
    """URLs the fast path leaves alone come out of markdown-it's own normalisation unchanged."""
    url = prefix + rest
    if markdown._is_plain_url(url):
        assert normalizeLink(url) == url and normalizeLinkText(url) == url


@given(st.from_regex(markdown._PLAIN_URL, fullmatch=True))
def test_every_address_the_fast_path_takes_is_one_markdown_it_leaves_unchanged(url):
    """Addresses drawn from the fast path's own pattern, so that the claim is exercised on every example."""
    if "xn--" not in url.lower():
        assert normalizeLink(url) == url and normalizeLinkText(url) == url


def test_the_link_fast_path_takes_ordinary_addresses():
    assert markdown._is_plain_url("https://example.org/reports/2026/a-b_c.html?page=2&x=y#part-1")
    assert markdown._is_plain_url("/articles/ferry-returns/")
    assert not markdown._is_plain_url("https://xn--caf-dma.example/") and not markdown._is_plain_url("0:@")


class TestSizeLimit:
    pytestmark = pytest.mark.django_db

    def test_the_article_form_refuses_a_body_over_1_mb(self, writer, client_for):
        article = draft_by(writer)
        response = client_for(writer).post(change_url(article), form_data(article, body=OVER_LIMIT))
        assert response.status_code == 200
        assert "the limit is 1,000,000 bytes (1 MB)" in response.content.decode()
        assert refresh(article).body == article.body and refresh(article).version == article.version

    def test_a_body_at_the_limit_is_saved(self, writer, client_for):
        article = draft_by(writer)
        body = "word " * (limits.MAX_SOURCE_BYTES // 5 - 1) + "word"
        response = client_for(writer).post(change_url(article), form_data(article, body=body))
        assert response.status_code == 302
        assert refresh(article).body == body

    def test_the_limit_counts_bytes_not_characters(self):
        assert limits.size_error("é" * (limits.MAX_SOURCE_BYTES // 2)) is None
        assert "1,000,002 bytes" in limits.size_error("é" * (limits.MAX_SOURCE_BYTES // 2 + 1))

    def test_bios_and_corrections_have_the_limit_too(self, editor, client_for):
        author = make_author()
        client = client_for(editor)
        response = client.post(
            reverse("admin:articles_author_change", args=[author.pk]), {"name": author.name, "bio": OVER_LIMIT}
        )
        assert "the limit is 1,000,000 bytes" in response.content.decode()
        field = Correction._meta.get_field("text")
        with pytest.raises(Exception, match="the limit is 1,000,000 bytes"):
            field.run_validators(OVER_LIMIT)

    def test_the_preview_refuses_a_body_over_the_limit(self, writer, client_for):
        response = client_for(writer).post(reverse("admin:articles_article_preview_markdown"), {"body": OVER_LIMIT})
        assert response.status_code == 413 and "the limit is 1,000,000 bytes" in response.json()["error"]


@pytest.mark.django_db
class TestPreviewLimit:
    @override_settings(NEWSROOM_PREVIEW_LIMIT=3, NEWSROOM_PREVIEW_PERIOD_SECONDS=60)
    def test_a_writer_gets_429_past_the_limit_and_others_do_not(self, writer, editor, client_for, time_machine):
        time_machine.move_to("2026-11-30 12:00:05", tick=False)
        url = reverse("admin:articles_article_preview_markdown")
        client = client_for(writer)
        assert [client.post(url, {"body": "*x*"}).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.post(url, {"body": "*x*"})
        assert refused.status_code == 429 and refused["Retry-After"] == "55"
        assert "resumes in 55 s" in refused.json()["error"]
        assert client_for(editor).post(url, {"body": "*x*"}).status_code == 200
        time_machine.move_to("2026-11-30 12:01:01", tick=False)
        assert client_for(writer).post(url, {"body": "*x*"}).status_code == 200

    @override_settings(NEWSROOM_PREVIEW_BYTES=1_500_000, NEWSROOM_PREVIEW_PERIOD_SECONDS=60)
    def test_long_texts_use_up_a_byte_budget(self, writer, client_for, time_machine):
        """Rendering time follows the size: two 1 MB previews a minute pass the count limit, not the bytes."""
        time_machine.move_to("2026-11-30 12:00:05", tick=False)
        url = reverse("admin:articles_article_preview_markdown")
        client = client_for(writer)
        long_text = "word " * 199_999 + "word"
        assert client.post(url, {"body": long_text}).status_code == 200
        refused = client.post(url, {"body": long_text})
        assert refused.status_code == 429 and refused["Retry-After"] == "55"
        assert "paused for 55 s" in refused.json()["error"]

    def test_the_preview_is_the_readers_html(self, writer, client_for):
        """Same pipeline, same seed rules: the preview equals what the article page will hold."""
        body = "![](https://cdn.example/lead.jpg)\n\n## The Title\n\nText with https://example.org."
        data = {"body": body, "title": "The title", "lead_image_url": "https://cdn.example/lead.jpg"}
        html = client_for(writer).post(reverse("admin:articles_article_preview_markdown"), data).json()["html"]
        article = make_article(body=body, title="The title", lead_image_url="https://cdn.example/lead.jpg")
        assert html == article.body_html and html.startswith("<p>Text with <a")


@pytest.mark.django_db
class TestRerender:
    def stale(self, **fields):
        """An article, bio and correction as an older renderer stored them."""
        article = make_article(body="## Notes\n\nA ~~claim~~.", **fields)
        Article.objects.filter(pk=article.pk).update(body_html="<h2 id=notes>old</h2>", html_renderer="2")
        author = make_author(bio="Writes about *ferries*.")
        Author.objects.filter(pk=author.pk).update(bio_html="old", html_renderer="2")
        correction = Correction.objects.create(article=article, text="Was ~~wrong~~.")
        Correction.objects.filter(pk=correction.pk).update(text_html="old", html_renderer="")
        return refresh(article), author, correction

    def test_every_kind_is_rendered_again_without_being_edited(self):
        article, author, correction = self.stale()
        revisions, modified = article.history.count(), article.modified_at
        out = StringIO()
        call_command("rerender_markdown", "--batch-size", "1", stdout=out)
        again = refresh(article)
        assert again.body_html == '<h2 id="md-notes">Notes</h2>\n<p>A <del>claim</del>.</p>'
        assert again.html_renderer == markdown.RENDERER_VERSION
        assert (again.version, again.history.count(), again.modified_at) == (article.version, revisions, modified)
        assert Author.objects.get(pk=author.pk).bio_html == "<p>Writes about <em>ferries</em>.</p>"
        assert Correction.objects.get(pk=correction.pk).text_html == "<p>Was <del>wrong</del>.</p>"
        assert "articles: 1/1 (100%)" in out.getvalue() and "Rendered 3 row(s)" in out.getvalue()

    def test_a_second_run_has_nothing_to_do(self):
        self.stale()
        call_command("rerender_markdown", stdout=StringIO())
        out = StringIO()
        call_command("rerender_markdown", stdout=out)
        assert "articles: nothing to render" in out.getvalue() and "Rendered 0 row(s)" in out.getvalue()

    def test_an_interrupted_run_resumes_where_it_stopped(self, monkeypatch):
        """A failing batch is rolled back; batches before it stay done, and the next run does only the rest."""
        articles = [self.stale()[0] for _ in range(5)]
        real = Article.rendering

        def fail_on_the_fourth(body, title, lead_image_url, **options):
            if title == articles[3].title:
                raise RuntimeError("interrupted")
            return real(body, title, lead_image_url, **options)

        monkeypatch.setattr(Article, "rendering", staticmethod(fail_on_the_fourth))
        with pytest.raises(RuntimeError):
            call_command("rerender_markdown", "--batch-size", "2", stdout=StringIO())
        done = [refresh(a).html_renderer == markdown.RENDERER_VERSION for a in articles]
        assert done == [True, True, False, False, False]
        monkeypatch.setattr(Article, "rendering", staticmethod(real))
        out = StringIO()
        call_command("rerender_markdown", "--batch-size", "2", stdout=out)
        assert "articles: 3/3 (100%)" in out.getvalue()
        assert all(refresh(a).body_html.startswith('<h2 id="md-notes">') for a in articles)

    def test_a_save_made_meanwhile_is_not_overwritten(self, monkeypatch):
        """The command writes only if the row is still the version it read."""
        article = self.stale()[0]
        real = Article.rendering

        def editor_saves_meanwhile(body, title, lead_image_url, **options):
            if body != "The editor's newer text.":  # the command's call, not the editor's save
                fresh = refresh(article)
                fresh.body = "The editor's newer text."
                fresh.save()
            return real(body, title, lead_image_url, **options)

        monkeypatch.setattr(Article, "rendering", staticmethod(editor_saves_meanwhile))
        out = StringIO()
        call_command("rerender_markdown", stdout=out)
        assert refresh(article).body_html == "<p>The editor\u2019s newer text.</p>"
        assert "Rendered 2 row(s)" in out.getvalue()  # the bio and the correction; the article was saved

    def test_a_batch_size_below_one_is_refused(self):
        with pytest.raises(CommandError, match="at least 1"):
            call_command("rerender_markdown", "--batch-size", "0", stdout=StringIO())


@pytest.mark.django_db
def test_the_same_text_always_renders_to_the_same_html():
    """Attributes the sanitiser adds come in one order: a body rendered twice (by a save, by the importer's
    workers, by ``rerender_markdown``) is the same HTML, byte for byte."""
    text = "![a](https://example.org/a.jpg) and ![b](image:1)\n\n![c](image:2)\n\n- [x] done\n- [ ] to do\n"
    renderings = {markdown.render_markdown(text) for _ in range(40)}
    assert len(renderings) == 1, renderings
    (html,) = renderings
    assert html.count('loading="lazy" decoding="async">') == 3

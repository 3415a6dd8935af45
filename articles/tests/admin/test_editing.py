import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, ShareLink
from articles.tests.factories import article_form, change_url, draft_by, form_data, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


class TestNoLostEdits:
    def test_second_save_from_a_stale_form_is_refused_and_kept(self, writer, editor, client):
        """Two editors open one version; the later save is refused, shows both texts, and loses nothing."""
        article = draft_by(writer, body="Original paragraph.")
        opened = refresh(article)
        client.force_login(editor)
        client.post(change_url(article), form_data(opened, body="Editor A's careful rewrite."))
        assert refresh(article).body == "Editor A's careful rewrite."

        client.force_login(writer)
        response = client.post(change_url(article), form_data(opened, body="Writer B's paragraph-zx9."))
        page = response.content.decode()
        assert response.status_code == 200
        assert "was saved by eddie" in page and "Nothing was saved" in page
        assert "Writer B&#x27;s paragraph-zx9." in page or "Writer B's paragraph-zx9." in page  # still in the form
        assert "+Writer B" in page and "-Editor A" in page  # the diff of both versions
        assert refresh(article).body == "Editor A's careful rewrite."

    @pytest.mark.parametrize("field", ["title", "dek", "lead_image_alt"])
    def test_a_stale_save_that_differs_outside_the_body_shows_both_values(self, writer, editor, client, field):
        """The refusal shows the saved value beside this page's for every field that differs, not only the body:
        the editor whose dek was refused sees the dek saved since without opening another page."""
        article = draft_by(writer, body="Same body.")
        opened = refresh(article)
        client.force_login(editor)
        assert (
            client.post(change_url(article), form_data(opened, **{field: "Saved-since value qx1"})).status_code == 302
        )
        client.force_login(writer)
        page = client.post(change_url(article), form_data(opened, **{field: "Refused value qx2"})).content.decode()
        table = page[page.index("Nothing was saved") : page.index("</table>", page.index("Nothing was saved"))]
        assert "Saved-since value qx1" in table and "Refused value qx2" in table
        assert getattr(refresh(article), field) == "Saved-since value qx1"

    def test_a_stale_model_save_raises(self, writer):
        """Outside the admin too, a stale copy cannot overwrite a newer one; it is refused as a stale copy of any
        versioned row is (library pictures, the site settings), so one ``except StaleEditError`` catches all."""
        from articles.models import StaleArticleError, StaleEditError

        first, second = refresh(draft_by(writer)), None
        second = refresh(first)
        first.title = "First"
        first.save()
        second.title = "Second"
        with pytest.raises(StaleEditError) as refused:
            second.save()
        assert isinstance(refused.value, StaleArticleError) and refused.value.instance is second
        assert refresh(first).title == "First"


class TestRevisions:
    def test_every_save_keeps_a_revision_with_its_author(self, writer, client_for):
        """Saves through the admin record who made them."""
        article = draft_by(writer, body="One.")
        client_for(writer).post(change_url(article), form_data(refresh(article), body="Two."))
        latest = refresh(article).history.first()
        assert latest.body == "Two." and latest.history_user == writer
        assert refresh(article).history.count() == 2

    def test_diff_between_two_revisions(self, writer, editor, client_for):
        """The revisions page shows what changed between any two revisions."""
        article = draft_by(writer, body="Alpha line.")
        client = client_for(editor)
        client.post(change_url(article), form_data(refresh(article), body="Beta line."))
        old, new = list(refresh(article).history.order_by("history_id"))
        page = client.get(
            reverse("admin:articles_article_revisions", args=[article.pk]),
            {"from": old.history_id, "to": new.history_id},
        ).content.decode()
        assert f"Revision #{old.history_id} (—, " in page and f"against #{new.history_id} (eddie, " in page
        assert "<del>Alpha</del><ins>Beta</ins> line." in page

    def test_a_rewritten_long_body_is_compared_at_once(self, writer, editor, client_for):
        """1,000 paragraphs, every one rewritten: the revisions page and the autosave offer answer (difflib's
        HtmlDiff took minutes on this, a page timeout)."""
        article = draft_by(writer, body="\n\n".join(f"Old paragraph {n} about the harbour." for n in range(1000)))
        client = client_for(editor)
        rewritten = "\n\n".join(f"New text {n}, on the ferry." for n in range(1000))
        client.post(change_url(article), form_data(refresh(article), body=rewritten))
        page = client.get(reverse("admin:articles_article_revisions", args=[article.pk])).content.decode()
        assert "<ins>New text 0, on the ferry.</ins>" in page
        assert "<del>Old paragraph 0 about the harbour.</del>" in page
        saved = client.post(reverse("admin:articles_article_autosave", args=[article.pk]),
                            {"title": article.title, "dek": article.dek, "body": "Short again."})  # fmt: skip
        assert saved.status_code == 200, saved.content
        page = client.get(change_url(article)).content.decode()
        assert "Restore my text" in page and "+Short again." in page and "-New text 999, on the ferry." in page

    def test_restore_brings_back_old_text_as_a_new_revision(self, writer, editor, client_for):
        """Restoring keeps history linear: the old text comes back, nothing is erased."""
        article = draft_by(writer, body="Good text.")
        client = client_for(editor)
        client.post(change_url(article), form_data(refresh(article), body="Vandalised."))
        original = refresh(article).history.order_by("history_id").first()
        client.post(reverse("admin:articles_article_restore", args=[article.pk, original.history_id]))
        article = refresh(article)
        assert article.body == "Good text."
        assert article.history.count() == 3
        assert article.history.first().history_change_reason == f"Restored revision #{original.history_id}"

    def test_writers_cannot_restore_others_articles(self, writer, other_writer, client_for):
        """Restore goes through the same edit rights as the form."""
        article = draft_by(writer, body="Mine.")
        record = article.history.first()
        response = client_for(other_writer).post(
            reverse("admin:articles_article_restore", args=[article.pk, record.history_id])
        )
        assert response.status_code in (403, 404)


class TestPreviewAndShareLinks:
    def test_staff_preview_shows_a_draft_with_noindex(self, writer, client_for):
        """The writer sees their draft as readers will, marked and not indexable."""
        article = draft_by(writer, title="Draft headline-q8")
        response = client_for(writer).get(reverse("articles:preview", args=[article.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and "Draft headline-q8" in page
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"] and "Preview: this article is Draft" in page

    def test_preview_refused_to_readers_and_other_writers(self, writer, other_writer, client, client_for):
        """Anonymous readers and other writers cannot preview a draft."""
        article = draft_by(writer)
        url = reverse("articles:preview", args=[article.pk])
        assert client.get(url).status_code == 404
        assert client_for(other_writer).get(url).status_code == 403

    def test_share_link_valid_expired_and_revoked(self, writer, editor, client, time_machine):
        """A share link works without login until it expires or is revoked."""
        time_machine.move_to(timezone.now(), tick=False)
        article = draft_by(writer, title="Shared draft-k2")
        link = ShareLink.objects.create(
            article=article, created_by=editor, expires_at=timezone.now() + timedelta(days=1)
        )
        url = link.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200 and "Shared draft-k2" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in response["Cache-Control"]

        assert client.get(url[:-3] + "xx/").status_code == 404  # tampered signature
        time_machine.shift(timedelta(days=1, seconds=1))
        assert client.get(url).status_code == 404  # expired
        time_machine.shift(-timedelta(days=1))
        link.revoked = True
        link.save()
        assert client.get(url).status_code == 404  # revoked

    def test_editor_creates_a_share_link_in_the_admin(self, writer, editor, client_for):
        """Adding a share-link row on the change form makes a working link."""
        article = draft_by(writer)
        data = form_data(refresh(article))
        data |= {
            "share_links-TOTAL_FORMS": 1,
            "share_links-0-expires_at_0": "2099-01-01",
            "share_links-0-expires_at_1": "10:00",
        }
        client_for(editor).post(change_url(article), data)
        link = ShareLink.objects.get(article=article)
        assert link.created_by == editor and link.is_valid()


class TestCorrections:
    def test_correction_in_the_admin_updates_the_article(self, writer, editor, client_for):
        """A correction added by an editor is dated, shown, and moves the updated time."""
        article = draft_by(writer)
        transitions.apply(article, "publish", editor)
        data = form_data(refresh(article))
        data |= {
            "corrections-TOTAL_FORMS": 1,
            "corrections-0-kind": "correction",
            "corrections-0-created_at_0": timezone.now().strftime("%Y-%m-%d"),
            "corrections-0-created_at_1": timezone.now().strftime("%H:%M:%S"),
            "corrections-0-text": "An earlier version misspelt the minister's name.",
        }
        client_for(editor).post(change_url(article), data)
        correction = Correction.objects.get(article=article)
        assert correction.created_by == editor
        assert refresh(article).updated_at == correction.created_at
        page = client_for(editor).get(article.get_absolute_url()).content.decode()
        assert "misspelt the minister" in page.replace("\u2019", "'")

    def test_writers_cannot_add_corrections(self, writer, client_for):
        """The corrections inline is the editors' alone."""
        article = draft_by(writer)
        page = client_for(writer).get(change_url(article)).content.decode()
        assert "corrections-TOTAL_FORMS" not in page


@pytest.mark.parametrize("button", [{}, {"_continue": "1"}, {"_transition": "submit"}])
def test_a_new_article_saves_from_the_add_page_as_the_page_renders_it(client_for, writer, button):
    """The hidden version is posted as the add page renders it (a browser sends an empty value as ""), not as a
    test would fill it in."""
    client = client_for(writer)
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    hidden = re.search(r'<input[^>]*name="version"[^>]*>', page).group(0)
    opened = re.search(r'value="([^"]*)"', hidden)
    data = article_form(title="Quay reopens", body="The quay reopens.", dek="After repairs.", **button)
    response = client.post(reverse("admin:articles_article_add"), {**data, "version": opened[1] if opened else ""})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Article.objects.get(title="Quay reopens").version >= 1

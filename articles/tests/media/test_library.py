"""The media library: pictures cleaned once with their renditions, cropped around a focal point, credited, with
rights that expire; shown in bodies by reference; managed in the admin by writers and editors."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PillowImage

from articles.markup import figures, markdown
from articles.models import Article, ArticleImage, Author, Image, site_today
from articles.tests.factories import (
    draft_by,
    form_data,
    make_article,
    make_picture,
    picture_bytes,
    refresh,
)
from articles.workflow import transitions

pytestmark = pytest.mark.django_db
YELLOW, BLUE = (230, 200, 30), (40, 90, 160)


def pixel(name, xy):
    with default_storage.open(name) as handle, PillowImage.open(handle) as image:
        return image.convert("RGB").getpixel(xy)


def near(colour, expected, slack=40):
    return all(abs(a - b) <= slack for a, b in zip(colour, expected, strict=True))


def upload(data=None, name="photo.jpg"):
    return SimpleUploadedFile(name, data or picture_bytes(), "image/jpeg")


class TestThePicture:
    def test_an_upload_is_stored_clean_under_a_random_name_with_every_rendition(self):
        picture = Image.objects.get(pk=make_picture((3000, 2000), name="minister-exclusive.jpg", credit="Staff").pk)
        assert (picture.width, picture.height) == (2400, 1600)
        assert re.fullmatch(r"library/\d{4}/\d{2}/[\w-]{20,}\.jpg", picture.file.name)
        assert all("minister" not in name for name in picture.files())
        renditions = picture.renditions
        assert [s["width"] for s in renditions["sources"]] == [480, 960, 1600]
        with default_storage.open(renditions["social"]) as handle, PillowImage.open(handle) as card:
            assert card.size == (1200, 630)
        with default_storage.open(renditions["square"]) as handle, PillowImage.open(handle) as square:
            assert square.size == (800, 800)
        with default_storage.open(renditions["thumb"]) as handle, PillowImage.open(handle) as thumb:
            assert thumb.size == (200, 200)
        assert picture.original_name == "minister-exclusive.jpg" and len(picture.sha256) == 64

    def test_the_same_file_twice_is_the_same_picture(self):
        first = make_picture()
        again, created = Image.objects.add(upload())
        assert not created and again == first and Image.objects.count() == 1
        stored, created = Image.objects.add(default_storage.open(first.file.name))  # the cleaned file, exported
        assert not created and stored == first

    def test_crops_follow_the_focal_point_and_old_crops_go(self, django_capture_on_commit_callbacks):
        """The yellow subject sits in the top right corner: the square keeps it when the focal point is there, and
        loses it when the focal point is on the left; the crops made before are deleted."""
        picture = make_picture((1200, 800))
        picture.focal_x = 0.0
        picture.save()
        picture = Image.objects.get(pk=picture.pk)
        assert near(pixel(picture.renditions["square"], (790, 10)), BLUE)
        old = [picture.renditions["square"], picture.renditions["social"]]
        picture.focal_x, picture.focal_y = 1.0, 0.0
        with django_capture_on_commit_callbacks(execute=True):
            picture.save()
        picture = Image.objects.get(pk=picture.pk)
        assert near(pixel(picture.renditions["square"], (790, 10)), YELLOW)
        assert near(pixel(picture.renditions["social"], (1190, 10)), YELLOW)
        assert not any(default_storage.exists(name) for name in old)
        assert all(default_storage.exists(name) for name in picture.files())

    def test_rights_and_use(self):
        today = site_today()
        gone = make_picture(color=(1, 1, 1), rights_expire_on=today)
        soon = make_picture(color=(2, 2, 2), rights_expire_on=today + datetime.timedelta(days=10))
        later = make_picture(color=(3, 3, 3), rights_expire_on=today + datetime.timedelta(days=90), alt="Alt")
        assert list(Image.objects.rights_expired()) == [gone]
        assert list(Image.objects.rights_expiring()) == [soon]
        assert set(Image.objects.without_alt()) == {gone, soon}
        make_article(lead_image=soon)
        make_article(body=f"![x](image:{later.pk})")
        assert set(Image.objects.used()) == {soon, later} and list(Image.objects.used(False)) == [gone]


class TestBodyReference:
    def test_a_reference_becomes_a_figure_with_renditions_caption_and_credit(self, client):
        picture = make_picture(alt="Boats at dawn", caption="The harbour", credit="Ana Ruiz")
        article = make_article(body=f"Before.\n\n![](image:{picture.pk})\n\nAfter.")
        page = client.get(article.get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="body-figure">(.*?)</figure>', page, re.S).group(1)
        assert '<source type="image/webp" srcset="' in figure and " 480w, " in figure
        img = re.search(r"<img [^>]*>", figure).group(0)
        assert 'width="960"' in img and 'height="640"' in img and 'loading="lazy"' in img
        assert 'alt="Boats at dawn"' in img and 'sizes="' in img
        assert '<figcaption>The harbour <span class="credit">Ana Ruiz</span></figcaption>' in figure
        assert ArticleImage.objects.filter(article=article, image=picture).exists()

    def test_the_reference_gives_its_own_alt_and_caption(self, client):
        picture = make_picture(alt="Library alt", caption="Library caption")
        article = make_article(body=f'![Own alt & more](image:{picture.pk} "Own <caption>")')
        page = client.get(article.get_absolute_url()).content.decode()
        assert 'alt="Own alt &amp; more"' in page and "<figcaption>Own &lt;caption&gt;</figcaption>" in page
        assert "Library caption" not in page

    def test_a_missing_picture_is_left_out_for_readers_and_named_in_the_preview(self, client, editor, client_for):
        article = make_article(body="Text.\n\n![Gone](image:999999)\n\nMore text.")
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200 and "data-image" not in page.content.decode()
        assert "<p>Text.</p>" in page.content.decode()
        preview = client_for(editor).post(
            reverse("admin:articles_article_preview_markdown"), {"body": article.body, "title": "t"}
        )
        assert "Picture #999999 is not in the media library." in preview.json()["html"]
        assert "picture #999999 in the body" in " ".join(transitions.publish_problems(article))

    def test_a_picture_whose_rights_expired_is_left_out_everywhere_readers_look(self, client, time_machine):
        expires = site_today() + datetime.timedelta(days=2)
        picture = make_picture(alt="Alt", rights_expire_on=expires)
        article = make_article(body=f"![](image:{picture.pk})", lead_image=make_picture(
            color=(9, 9, 9), alt="Lead", rights_expire_on=expires))  # fmt: skip
        urls = [article.get_absolute_url(), reverse("articles:feed_rss"), "/"]
        before = {url: client.get(url).content.decode() for url in urls}
        assert picture.file.name.rsplit("/", 1)[-1].split(".")[0] in before[urls[0]]
        assert "body-figure" in before[urls[0]] and "<media:content" in before[urls[1]]
        time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
        after = {url: client.get(url).content.decode() for url in urls}  # no edit: the page cache knew the day
        assert "body-figure" not in after[urls[0]] and "lead-figure" not in after[urls[0]]
        assert "og:image" not in after[urls[0]].split("twitter:card")[0] or "-social.jpg" not in after[urls[0]]
        assert "<media:content" not in after[urls[1]] and "<enclosure" not in after[urls[1]]
        assert "card-image" not in after["/"]

    def test_a_new_file_for_the_picture_shows_on_the_article_at_once(self, client, admin_client):
        picture = make_picture(alt="Alt")
        article = make_article(body=f"![](image:{picture.pk})")
        old = picture.renditions["sources"][0]["jpg"]
        assert old in client.get(article.get_absolute_url()).content.decode()
        data = {
            "alt": "Alt",
            "caption": "",
            "credit": "",
            "source": "",
            "licence": "",
            "rights_expire_on": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "file": upload(picture_bytes(color=(200, 0, 0)), "new.jpg"),
            "opened_file": picture.file.name,
            "version": picture.version,
        }
        response = admin_client.post(reverse("admin:articles_image_change", args=[picture.pk]), data)
        assert response.status_code == 302
        new = Image.objects.get(pk=picture.pk).renditions["sources"][0]["jpg"]
        page = client.get(article.get_absolute_url()).content.decode()
        assert new != old and new in page and old not in page

    def test_the_checklist_refuses_an_inline_picture_without_alt_text(self, editor, client_for):
        picture = make_picture()
        article = draft_by(editor, dek="Dek.", body=f"![](image:{picture.pk})")
        response = client_for(editor).post(
            reverse("admin:articles_article_change", args=[article.pk]),
            form_data(refresh(article), _transition="publish"),
            follow=True,
        )
        assert f"alt text for picture #{picture.pk} in the body" in response.content.decode()
        assert refresh(article).status == Article.Status.DRAFT
        picture.alt = "Boats"
        picture.save()
        assert not any("picture" in problem for problem in transitions.publish_problems(
            refresh(article)))  # fmt: skip

    def test_the_checklist_notes_expired_rights(self, editor, client_for):
        picture = make_picture(alt="A", rights_expire_on=site_today() - datetime.timedelta(days=1))
        article = draft_by(editor, body=f"![](image:{picture.pk})")
        page = client_for(editor).get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
        assert (
            f"picture #{picture.pk}&#x27;s rights expired on" in page
            or f"picture #{picture.pk}'s rights expired" in page
        )

    def test_a_picture_in_use_cannot_be_deleted(self, admin_client):
        picture = make_picture()
        make_article(title="Uses it", body=f"![](image:{picture.pk})")
        response = admin_client.post(reverse("admin:articles_image_delete", args=[picture.pk]), {"post": "yes"})
        assert Image.objects.filter(pk=picture.pk).exists()
        assert "Uses it" in response.content.decode() and "protected" in response.content.decode()

    def test_the_renderer_keeps_a_picture_in_a_sentence_inline_and_a_lone_one_as_a_figure(self):
        html = markdown.render_markdown('Text ![a](image:3) more.\n\n![b](image:4 "cap")')
        assert '<p>Text <img data-image="3" alt="a"' in html
        assert '<figure data-image="4"><img alt="b"' in html and "<figcaption>cap</figcaption>" in html
        assert figures.referenced_ids(html) == [3, 4]


class TestLibraryAdmin:
    def test_the_list_shows_thumbnails_and_filters(self, client_for, writer):
        make_picture(color=(1, 1, 1), caption="Storm over the pier", credit="Agency One")
        make_picture(color=(2, 2, 2), alt="Has alt", rights_expire_on=site_today() + datetime.timedelta(days=5))
        client = client_for(writer)
        url = reverse("admin:articles_image_changelist")
        page = client.get(url).content.decode()
        assert page.count('class="library-thumb"') == 2 and "Upload pictures" in page
        assert "Storm over the pier" in client.get(url, {"q": "agency one"}).content.decode()
        assert "Has alt" not in client.get(url, {"q": "agency one"}).content.decode()
        assert "Storm over the pier" in client.get(url, {"alt": "missing"}).content.decode()
        expiring = client.get(url, {"rights": "expiring"}).content.decode()
        assert "Has alt" in expiring and "Storm over the pier" not in expiring
        assert client.get(url, {"use": "unused"}).content.decode().count('class="library-thumb"') == 2

    def test_several_files_at_once_one_bad_one_named(self, client_for, writer):
        client = client_for(writer)
        files = [upload(picture_bytes(color=(10, 10, 10)), "a.jpg"), upload(picture_bytes(color=(20, 20, 20)), "b.jpg"),
                 SimpleUploadedFile("notes.jpg", b"not a picture at all" * 10, "image/jpeg")]  # fmt: skip
        response = client.post(reverse("admin:articles_image_upload"), {"files": files, "credit": "Staff"}, follow=True)
        page = response.content.decode()
        assert "2 picture(s) added" in page and "notes.jpg: This file is not an image" in page
        assert Image.objects.count() == 2 and set(Image.objects.values_list("credit", flat=True)) == {"Staff"}
        assert set(Image.objects.values_list("uploaded_by", flat=True)) == {writer.pk}
        same = [upload(picture_bytes(color=(10, 10, 10)))]
        again = client.post(reverse("admin:articles_image_upload"), {"files": same}, follow=True)
        assert "Already in the library" in again.content.decode() and Image.objects.count() == 2

    def test_writers_edit_and_set_the_focal_point_only_editors_delete(self, client_for, writer, editor):
        picture = make_picture()
        client = client_for(writer)
        change = reverse("admin:articles_image_change", args=[picture.pk])
        page = client.get(change).content.decode()
        assert 'class="focal-picker"' in page and "admin/articles/focal.js" in page and "<script>" not in page
        data = {"alt": "Subject", "caption": "", "credit": "", "source": "", "licence": "", "rights_expire_on": "",
                "focal_x": "0.9", "focal_y": "0.1", "opened_file": picture.file.name,
                "version": picture.version}  # fmt: skip
        assert client.post(change, data).status_code == 302
        assert Image.objects.get(pk=picture.pk).focal == (0.9, 0.1)
        outside = client.post(change, data | {"focal_x": "1.5", "version": picture.version + 1})
        assert outside.status_code == 200 and outside.context["adminform"].form.errors.keys() == {"focal_x"}
        delete = reverse("admin:articles_image_delete", args=[picture.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403 and Image.objects.filter(pk=picture.pk).exists()
        assert client_for(editor).post(delete, {"post": "yes"}).status_code == 302
        assert not Image.objects.filter(pk=picture.pk).exists()

    def test_a_page_opened_before_the_file_was_replaced_saves_nothing(self, client_for, writer, editor):
        picture = make_picture(alt="Old")
        change = reverse("admin:articles_image_change", args=[picture.pk])
        opened = picture.file.name
        data = {"alt": "Mine", "caption": "", "credit": "", "source": "", "licence": "", "rights_expire_on": "",
                "focal_x": "0.2", "focal_y": "0.2", "opened_file": opened, "version": picture.version}  # fmt: skip
        replaced = client_for(editor).post(
            change, data | {"alt": "Theirs", "file": upload(picture_bytes(color=(250, 0, 0)), "new.jpg")}
        )
        assert replaced.status_code == 302
        response = client_for(writer).post(change, data)
        assert response.status_code == 200 and "Someone replaced this picture" in response.content.decode()
        picture = Image.objects.get(pk=picture.pk)
        assert picture.alt == "Theirs" and picture.file.name != opened and picture.focal == (0.2, 0.2)
        assert all(default_storage.exists(name) for name in picture.files())

    def test_the_editor_picker_searches_and_uploads(self, client_for, writer, client):
        make_picture(caption="Harbour at dawn", alt="Boats")
        anonymous = client.get(reverse("admin:articles_image_picker_search"))
        assert anonymous.status_code == 302
        writer_client = client_for(writer)
        found = writer_client.get(reverse("admin:articles_image_picker_search"), {"q": "harbour"}).json()["results"]
        assert len(found) == 1 and found[0]["reference"] == f'![Boats](image:{found[0]["id"]} "Harbour at dawn")'
        made = writer_client.post(
            reverse("admin:articles_image_picker_upload"), {"file": upload(picture_bytes(color=(5, 50, 5)))}
        )
        assert made.status_code == 200 and made.json()["reference"] == f"![](image:{made.json()['id']})"
        bad = writer_client.post(reverse("admin:articles_image_picker_upload"),
                                 {"file": SimpleUploadedFile("x.png", b"nope", "image/png")})  # fmt: skip
        assert bad.status_code == 400 and "x.png" in bad.json()["error"]
        page = writer_client.get(reverse("admin:articles_article_add")).content.decode()
        urls = json.loads(
            re.search(r'<script id="picture-picker-urls" type="application/json">(.*?)</script>', page).group(1)
        )
        assert urls["search"] == reverse("admin:articles_image_picker_search")

    def test_the_lead_image_is_chosen_from_the_library(self, client_for, editor, client):
        picture = make_picture(alt="Library alt", caption="Library caption", credit="Agency")
        article = draft_by(editor)
        response = client_for(editor).post(
            reverse("admin:articles_article_change", args=[article.pk]),
            form_data(refresh(article), lead_image=picture.pk),
        )
        assert response.status_code == 302 and refresh(article).lead_image == picture
        Article.objects.filter(pk=article.pk).update(status="published", published_at=timezone.now())
        client.logout()
        page = client.get(article.get_absolute_url()).content.decode()
        assert 'alt="Library alt"' in page and "Library caption" in page and "Agency" in page

    def test_an_author_photo_from_the_library(self, admin_client, client):
        picture = make_picture(alt="Rita")
        author = Author.objects.create(name="Rita Lib", photo=picture)
        make_article(authors=[author])
        page = client.get(author.get_absolute_url()).content.decode()
        assert f'src="/media/{picture.renditions["thumb"]}"' in page and 'width="96"' in page


def test_feed_entries_carry_the_figure_with_absolute_addresses(client):
    import html

    import feedparser

    picture = make_picture(alt="Boats", credit="Staff")
    make_article(title="Pictured", body=f"![](image:{picture.pk})")
    raw = client.get(reverse("articles:feed_atom")).content
    srcsets = re.findall(r'srcset="([^"]+)"', html.unescape(raw.decode()))
    assert len(srcsets) == 3 and all(
        candidate.split()[0].startswith("http://127.0.0.1:8000/media/renditions/")
        for srcset in srcsets
        for candidate in srcset.split(", ")
    )
    content = feedparser.parse(raw).entries[0].content[0].value  # what a feed reader keeps of it
    assert 'src="http://127.0.0.1:8000/media/renditions/' in content and "Staff" in content


def test_rerendering_records_the_pictures_bodies_show():
    """Bodies rendered before references existed get their pictures recorded when rendered again."""
    from django.core.management import call_command

    picture = make_picture(alt="Alt")
    article = make_article(body=f"![](image:{picture.pk})")
    ArticleImage.objects.all().delete()
    Article.objects.filter(pk=article.pk).update(body_html="<p>old</p>", html_renderer="3")
    call_command("rerender_markdown", stdout=io.StringIO())
    assert list(ArticleImage.objects.values_list("article_id", "image_id")) == [(article.pk, picture.pk)]


def test_a_focal_point_on_a_picture_whose_file_is_gone_keeps_the_old_crops():
    picture = make_picture()
    default_storage.delete(picture.file.name)
    crops = (picture.renditions["square"], picture.renditions["social"])
    picture.focal_x = 0.9
    picture.save()
    picture = Image.objects.get(pk=picture.pk)
    assert picture.focal_x == 0.9 and (picture.renditions["square"], picture.renditions["social"]) == crops


def test_a_body_that_opens_with_the_lead_picture_shows_it_once(client):
    lead = make_picture(alt="Lead", caption="Lead caption")
    other = make_picture(color=(5, 5, 5), alt="Other")
    once = make_article(title="Once", lead_image=lead, body=f"![](image:{lead.pk})\n\nText.")
    both = make_article(title="Both", lead_image=lead, body=f"![](image:{other.pk})\n\nText.")
    page = client.get(once.get_absolute_url()).content.decode()
    shown = page.split("</head>")[1]  # the page's body: its JSON-LD names the picture too
    assert shown.count("Lead caption") == 1 and "lead-figure" not in page
    page = client.get(both.get_absolute_url()).content.decode()
    assert "lead-figure" in page and "body-figure" in page


def test_an_article_without_pictures_in_its_body_asks_for_none(client, django_assert_num_queries):
    plain, pictured = make_article(body="Text."), make_article(body=f"![](image:{make_picture().pk})")
    plain, pictured = Article.objects.get(pk=plain.pk), Article.objects.get(pk=pictured.pk)
    with django_assert_num_queries(0):
        ArticleImage.attach([plain])
    with django_assert_num_queries(1):
        ArticleImage.attach([plain, pictured])
    assert plain.pictures == {} and list(pictured.pictures) == [figures.referenced_ids(pictured.body_html)[0]]
    deferred = list(Article.objects.defer("body_html").filter(pk__in=[plain.pk, pictured.pk]))
    with django_assert_num_queries(1):  # bodies not read: the pictures are asked for
        ArticleImage.attach(deferred)


def test_a_damaged_picture_is_refused_by_name_wherever_it_arrives(client_for, writer):
    """A JPEG cut short decodes its header but not its pixels: the library refuses it with a message, from the
    batch upload and from the editor's picker alike, and stores nothing."""
    from django.core.exceptions import ValidationError

    cut = picture_bytes((1600, 1200))[:6000]
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        Image.objects.add(upload(cut, "cut.jpg"))
    client = client_for(writer)
    page = client.post(reverse("admin:articles_image_upload"), {"files": [upload(cut, "cut.jpg")]}, follow=True)
    assert "cut.jpg: The image is damaged or incomplete" in page.content.decode()
    answer = client.post(reverse("admin:articles_image_picker_upload"), {"file": upload(cut, "cut.jpg")})
    assert answer.status_code == 400 and "damaged or incomplete" in answer.json()["error"]
    assert not Image.objects.exists() and not list(Path(default_storage.location).rglob("*.*"))


def test_a_reference_quoted_in_code_is_not_a_picture(tmp_path):
    """Documenting the syntax in a code span or block shows it as text: the checklist does not ask for that
    picture, and export writes no bundle for it."""
    from django.core.management import call_command

    body = "Write `![alt](image:999)` to show a picture:\n\n```\n![alt](image:998)\n```\n"
    article = make_article(title="How to", slug="how-to", body=body, dek="Dek.")
    assert figures.references(article.body_html) == []
    assert not [problem for problem in transitions.publish_problems(article) if "picture" in problem]
    call_command("export_markdown", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "how-to.md").exists() and "image:999" in (tmp_path / "how-to.md").read_text()


def test_references_give_each_pictures_number_and_written_alt_text_in_order():
    html = markdown.render_markdown('Text ![A & B](image:7) more.\n\n![](image:3 "cap")\n\n![Z](image:7)')
    assert figures.references(html) == [(7, "A & B"), (3, ""), (7, "Z")]


def test_a_picture_whose_stored_file_is_gone_can_still_be_described(client_for, editor):
    """The stored file is not read again to save a description: its row stays editable when the file is missing."""
    picture = make_picture()
    default_storage.delete(picture.file.name)
    change = reverse("admin:articles_image_change", args=[picture.pk])
    data = {"alt": "Described 7Q", "caption": "", "credit": "", "source": "", "licence": "", "rights_expire_on": "",
            "focal_x": "0.5", "focal_y": "0.5", "opened_file": picture.file.name,
            "version": picture.version}  # fmt: skip
    assert client_for(editor).post(change, data).status_code == 302
    assert Image.objects.get(pk=picture.pk).alt == "Described 7Q"

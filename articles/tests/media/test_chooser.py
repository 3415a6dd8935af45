"""The picture chooser and the page that describes an upload: what the chooser's search and upload answer, the
lead picture kept through a refused save, and the alt text, captions and credits of a multi-upload saved
together."""

import datetime
import re
import threading
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from articles.markup import figures
from articles.markup.markdown import render_markdown
from articles.models import Image, site_today
from articles.tests.factories import draft_by, form_data, make_picture, picture_bytes, refresh

pytestmark = pytest.mark.django_db


def upload(color, name="photo.jpg"):
    return SimpleUploadedFile(name, picture_bytes(color=color), "image/jpeg")


def describe_data(pictures, typed=None):
    """What the describe page posts for ``pictures``, with ``typed`` as {(index, field): value}."""
    data = {"pictures-TOTAL_FORMS": len(pictures), "pictures-INITIAL_FORMS": len(pictures),
            "pictures-MIN_NUM_FORMS": 0, "pictures-MAX_NUM_FORMS": 50}  # fmt: skip
    for index, picture in enumerate(pictures):
        data |= {f"pictures-{index}-id": picture.pk, f"pictures-{index}-version": picture.version}
        for name in ("alt", "caption", "credit"):
            data[f"pictures-{index}-{name}"] = (typed or {}).get((index, name), getattr(picture, name))
    return data


class TestTheChooser:
    def test_search_results_carry_the_thumbnail_caption_credit_and_warnings(self, client_for, writer):
        soon = site_today() + datetime.timedelta(days=3)
        picture = make_picture(caption="Harbour at dawn", credit="Agency One", rights_expire_on=soon)
        found = client_for(writer).get(reverse("admin:articles_image_picker_search"), {"q": "harbour"}).json()
        (result,) = found["results"]
        assert result["id"] == picture.pk and result["caption"] == "Harbour at dawn"
        assert result["credit"] == "Agency One" and result["thumbnail"].endswith(picture.renditions["thumb"])
        assert f"Rights end on {date_format(soon)}." in result["warnings"]
        assert (
            "No licence recorded." in result["warnings"]
            and "No alt text: add it before publishing." in result["warnings"]
        )
        assert result["edit"] == reverse("admin:articles_image_change", args=[picture.pk])

    @pytest.mark.parametrize(
        ("alt", "caption"),
        [
            ("Gulls `on](image:2) the` pier", 'The "Pier" \\'),
            ("A *new* _look_ ~~for~~ <b>the</b> quay &amp; more", "Tides &amp; times, <i>morning</i> [^1]"),
            ("![old](image:3) and [brackets]", "Fish & chips (at noon)"),
        ],
    )
    def test_the_inserted_reference_shows_the_alt_text_and_caption_as_they_are(self, client_for, writer, alt, caption):
        picture = make_picture(color=(15, 150, 15), alt=alt, caption=caption)
        found = client_for(writer).get(reverse("admin:articles_image_picker_search")).json()
        html = render_markdown(f"Before.\n\n{found['results'][0]['reference']}\n\nAfter.")
        assert figures.references(html) == [(picture.pk, alt)]
        assert html.count("<figure") == 1 and [
            unescape(shown) for shown in re.findall("<figcaption>(.*?)</figcaption>", html)
        ] == [caption]

    def test_an_upload_comes_back_described_and_chosen(self, client_for, writer):
        answer = client_for(writer).post(
            reverse("admin:articles_image_picker_upload"),
            {"file": upload((9, 99, 9)), "alt": "Quay", "caption": "The quay", "credit": "Staff", "licence": "staff",
             "source": "", "rights_expire_on": ""},
        )  # fmt: skip
        assert answer.status_code == 200
        made = answer.json()
        picture = Image.objects.get(pk=made["id"])
        assert (picture.alt, picture.caption, picture.credit, picture.licence) == ("Quay", "The quay", "Staff", "staff")
        assert made["created"] and made["thumbnail"].endswith(picture.renditions["thumb"]) and made["warnings"] == []
        assert picture.uploaded_by == writer

    @pytest.mark.django_db(transaction=True)
    def test_the_same_file_sent_by_four_writers_at_once_makes_one_picture(self, django_user_model, media_root):
        clients = []
        for n in range(4):
            client = Client(raise_request_exception=False)
            client.force_login(django_user_model.objects.create_superuser(f"sender{n}", password=None))
            clients.append(client)
        photo = picture_bytes(color=(33, 66, 99))
        started, answers = threading.Barrier(len(clients)), {}

        def send(n):
            try:
                started.wait()
                answers[n] = clients[n].post(
                    reverse("admin:articles_image_picker_upload"),
                    {"file": SimpleUploadedFile("same.jpg", photo, "image/jpeg")},
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        (picture,) = Image.objects.all()
        assert (
            sorted((answer.status_code, answer.json()["id"]) for answer in answers.values()) == [(200, picture.pk)] * 4
        )
        assert sorted(answer.json()["created"] for answer in answers.values()) == [False, False, False, True]

    def test_a_non_image_or_bad_field_is_refused_with_the_reason(self, client_for, writer):
        client = client_for(writer)
        url = reverse("admin:articles_image_picker_upload")
        text = client.post(url, {"file": SimpleUploadedFile("notes.jpg", b"just words" * 20, "image/jpeg")})
        assert text.status_code == 400 and text.json()["error"].startswith("notes.jpg: This file is not an image")
        date = client.post(url, {"file": upload((1, 2, 3)), "rights_expire_on": "soon"})
        assert date.status_code == 400 and date.json()["error"] == "Rights expire on: Enter a valid date."
        assert client.post(url, {}).json()["error"] == "Picture: No file was sent."
        assert not Image.objects.exists()

    def test_only_those_who_may_add_pictures_upload(self, client):
        viewer = User.objects.create_user("vera", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
        client.force_login(viewer)
        assert client.get(reverse("admin:articles_image_picker_search")).status_code == 200
        refused = client.post(reverse("admin:articles_image_picker_upload"), {"file": upload((3, 3, 3))})
        assert refused.status_code == 403 and not Image.objects.exists()

    def test_the_chosen_lead_picture_survives_a_refused_save(self, client_for, writer):
        """An upload in the chooser is in the library before the story is saved: a save refused for another
        field shows the same picture chosen, and the next save keeps it."""
        client = client_for(writer)
        made = client.post(reverse("admin:articles_image_picker_upload"), {"file": upload((7, 70, 7))}).json()
        article = draft_by(writer)
        change = reverse("admin:articles_article_change", args=[article.pk])
        refused = client.post(change, form_data(refresh(article), lead_image=made["id"], slug="not a slug!"))
        assert refused.status_code == 200 and "slug" in refused.context["adminform"].form.errors
        page = refused.content.decode()
        assert re.search(rf'<input type="number" name="lead_image" value="{made["id"]}"', page)
        assert f'src="{made["thumbnail"]}"' in page and f"Picture #{made['id']}" in page
        assert client.post(change, form_data(refresh(article), lead_image=made["id"])).status_code == 302
        assert refresh(article).lead_image_id == made["id"]

    def test_a_lead_picture_number_that_is_not_in_the_library_is_named(self, client_for, writer):
        article = draft_by(writer)
        change = reverse("admin:articles_article_change", args=[article.pk])
        refused = client_for(writer).post(change, form_data(refresh(article), lead_image=999999))
        assert refused.context["adminform"].form.errors["lead_image"] == [
            "Select a valid choice: the media library has no picture with this number."
        ]


class TestDescribingAnUpload:
    def test_a_multi_upload_lands_on_one_page_with_only_the_new_pictures(self, client_for, writer):
        old = make_picture(color=(1, 1, 1), caption="Already here")
        client = client_for(writer)
        files = [upload((10, 10, 10), "a.jpg"), upload((20, 20, 20), "b.jpg"), upload((1, 1, 1), "again.jpg")]
        response = client.post(reverse("admin:articles_image_upload"), {"files": files, "credit": "Staff"})
        new = list(Image.objects.exclude(pk=old.pk).order_by("pk"))
        assert len(new) == 2
        assert response.status_code == 302
        assert response.url == f"{reverse('admin:articles_image_describe')}?ids={new[0].pk},{new[1].pk}"
        page = client.get(response.url)
        assert [form.instance for form in page.context["formset"].forms] == new
        html = page.content.decode()
        assert "Already here" not in html and html.count('class="library-flag">no alt text') == 2
        assert 'name="pictures-0-alt"' in html and 'name="pictures-1-credit" value="Staff"' in html

    def test_an_upload_with_a_bad_file_links_to_describing_the_good_ones(self, client_for, writer):
        files = [upload((15, 15, 15), "good.jpg"), SimpleUploadedFile("bad.jpg", b"words" * 40, "image/jpeg")]
        page = client_for(writer).post(reverse("admin:articles_image_upload"), {"files": files}, follow=True)
        good = Image.objects.get()
        link = f'<a href="{reverse("admin:articles_image_describe")}?ids={good.pk}">Give the 1 added picture(s) alt'
        assert link in page.content.decode() and "Not added: bad.jpg" in page.content.decode()

    def test_alt_text_captions_and_credits_are_saved_together(self, client_for, writer):
        first, second = make_picture(color=(30, 30, 30)), make_picture(color=(40, 40, 40), credit="Agency")
        client = client_for(writer)
        url = f"{reverse('admin:articles_image_describe')}?ids={first.pk},{second.pk}"
        data = describe_data([first, second], {(0, "alt"): "Gulls on the pier", (0, "caption"): "Morning",
                                                 (1, "alt"): "The ferry", (1, "credit"): "Staff"})  # fmt: skip
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == reverse("admin:articles_image_changelist")
        assert "2 picture(s) described." in response.content.decode()
        first, second = Image.objects.get(pk=first.pk), Image.objects.get(pk=second.pk)
        assert (first.alt, first.caption, second.alt, second.credit) == ("Gulls on the pier", "Morning", "The ferry",
                                                                         "Staff")  # fmt: skip

    def test_a_picture_left_without_alt_text_is_named(self, client_for, writer):
        first, second = make_picture(color=(50, 50, 50)), make_picture(color=(60, 60, 60))
        url = f"{reverse('admin:articles_image_describe')}?ids={first.pk},{second.pk}"
        data = describe_data([first, second], {(0, "alt"): "Described"})
        response = client_for(writer).post(url, data, follow=True)
        assert f"Still without alt text (they cannot be published): #{second.pk}." in response.content.decode()

    def test_bad_input_names_the_picture_and_field_and_saves_nothing(self, client_for, writer):
        first, second = make_picture(color=(70, 70, 70)), make_picture(color=(80, 80, 80))
        url = f"{reverse('admin:articles_image_describe')}?ids={first.pk},{second.pk}"
        data = describe_data([first, second], {(0, "alt"): "Fine", (1, "caption"): "x" * 501})
        response = client_for(writer).post(url, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert (
            f'<a href="#id_pictures-1-caption">Picture #{second.pk}, caption</a>: Ensure this value has at most 500'
            in page
        )
        assert Image.objects.get(pk=first.pk).alt == ""  # nothing saved: the first picture waits too

    def test_only_the_listed_pictures_and_only_for_those_who_may_change_them(self, client_for, writer, client):
        listed, other = make_picture(color=(90, 90, 90)), make_picture(color=(95, 95, 95), alt="Untouched")
        url = f"{reverse('admin:articles_image_describe')}?ids={listed.pk}"
        data = describe_data([listed], {(0, "alt"): "Listed"}) | {
            "pictures-TOTAL_FORMS": 2, "pictures-1-id": other.pk, "pictures-1-version": other.version,
            "pictures-1-alt": "Smuggled", "pictures-1-caption": "", "pictures-1-credit": "",
        }  # fmt: skip
        client_for(writer).post(url, data)  # as a new picture: none is added
        client_for(writer).post(url, data | {"pictures-INITIAL_FORMS": 2})  # as a listed one: refused
        assert Image.objects.get(pk=other.pk).alt == "Untouched" and Image.objects.count() == 2
        viewer = User.objects.create_user("vera", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
        client.force_login(viewer)
        assert client.get(url).status_code == 403
        assert client.post(url, describe_data([listed], {(0, "alt"): "No"})).status_code == 403
        assert Image.objects.get(pk=listed.pk).alt == "Listed"  # the writer's, not the viewer's

    def test_an_address_with_anything_but_picture_numbers_lists_only_the_pictures_it_names(self, writer):
        picture = make_picture(color=(12, 120, 12))
        client = Client(raise_request_exception=False)
        client.force_login(writer)
        url = reverse("admin:articles_image_describe")
        for ids in ("9" * 5000, "²", "-1", "abc,,1.5", "99999999999999999999"):
            response = client.get(url, {"ids": ids})
            assert response.status_code == 302 and response.url == reverse("admin:articles_image_changelist")
        page = client.get(url, {"ids": ",".join([str(picture.pk)] * 10_000 + ["²", "9" * 5000])})
        assert page.status_code == 200 and page.context["formset"].total_form_count() == 1

    def test_a_picture_deleted_while_the_page_was_open_is_named(self, client_for, writer):
        kept, gone = make_picture(color=(13, 130, 13)), make_picture(color=(14, 140, 140))
        url = f"{reverse('admin:articles_image_describe')}?ids={kept.pk},{gone.pk}"
        data = describe_data([kept, gone], {(0, "alt"): "Kept", (1, "alt"): "Gone"})
        number = gone.pk
        gone.delete()
        page = client_for(writer).post(url, data).content.decode()
        assert (
            f"<li>Picture #{number}: it was deleted from the library after this page was opened. "
            f'<a href="{url}">Open the page again to describe the others</a>.</li>'
        ) in page
        assert f'<h2 id="describe-{number}">Picture #{number}' in page
        assert Image.objects.get(pk=kept.pk).alt == ""

    def test_a_picture_saved_meanwhile_is_not_overwritten(self, client_for, writer):
        picture = make_picture(color=(99, 9, 9))
        url = f"{reverse('admin:articles_image_describe')}?ids={picture.pk}"
        data = describe_data([picture], {(0, "alt"): "Mine"})
        picture.alt = "Theirs"
        picture.save()
        response = client_for(writer).post(url, data)
        assert response.status_code == 200 and "after you opened version" in response.content.decode()
        assert Image.objects.get(pk=picture.pk).alt == "Theirs"


class TestThePicturePages:
    def test_every_thumbnail_link_in_the_list_is_named(self, client_for, writer):
        make_picture(color=(5, 5, 5), alt="Boats at anchor")
        make_picture(color=(6, 6, 6), caption="Storm")
        page = client_for(writer).get(reverse("admin:articles_image_changelist")).content.decode()
        alts = re.findall(r'<img class="library-thumb" src="[^"]+" alt="([^"]*)"', page)
        assert sorted(alts) == ["Boats at anchor", "Edit picture: Storm"]

    def test_the_picture_page_previews_the_crops_and_says_how_to_use_it(self, client_for, writer):
        picture = make_picture(alt="Cranes")
        page = client_for(writer).get(reverse("admin:articles_image_change", args=[picture.pk])).content.decode()
        for crop in ("social", "square", "thumb"):
            assert f'<figure class="crop-preview crop-{crop}"><img src="/media/{picture.renditions[crop]}"' in page
        assert "Use in a body" not in page and "Insert a picture" in page and 'data-copy="picture-code"' in page

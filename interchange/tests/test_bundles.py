"""Page bundles, Hugo's way: export writes an article's library pictures beside its index.md, and import brings a
bundle's pictures (and, when asked, the pictures its addresses point at) into the library, once."""

import datetime
import io

import pytest
from django.core.management import call_command

from articles.markup import figures
from articles.models import Article, Image
from articles.tests.factories import make_article, make_picture, picture_bytes
from interchange.tests.factories import run_import, write

pytestmark = pytest.mark.django_db


def test_export_writes_page_bundles_and_the_round_trip_adds_no_duplicates(tmp_path):
    lead = make_picture(alt="Lead alt", caption="Lead caption", credit="Lead credit", name="harbour.jpg")
    inline = make_picture(color=(7, 70, 7), alt="Inline alt", credit="Inline credit", licence="CC BY 4.0",
                          rights_expire_on=datetime.date(2031, 1, 2), name="boats.jpg")  # fmt: skip
    inline.focal_x, inline.focal_y = 0.25, 0.75
    inline.save()
    body = f'Text.\n\n![Boats](image:{inline.pk} "On the water")\n\nEnd.'
    article = make_article(title="Bundled", slug="bundled", body=body, lead_image=lead)
    call_command("export_markdown", str(tmp_path / "out"))
    bundle = tmp_path / "out" / "bundled"
    assert sorted(p.name for p in bundle.iterdir()) == ["boats.jpg", "harbour.jpg", "index.md"]
    text = (bundle / "index.md").read_text()
    assert '![Boats](boats.jpg "On the water")' in text and "image: harbour.jpg" in text
    assert "credit: Inline credit" in text and "rightsExpireOn: '2031-01-02'" in text

    call_command("import_markdown", str(tmp_path / "out"), force=True, stdout=io.StringIO())
    assert Image.objects.count() == 2
    article = Article.objects.get(pk=article.pk)
    assert article.body == body and article.lead_image == lead

    # Into an empty newsroom: the library is made again from the bundle, with what it knew of each picture.
    Article.objects.all().delete()
    Image.objects.all().delete()
    call_command("import_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    article = Article.objects.get(slug="bundled")
    again = Image.objects.get(pk=figures.referenced_ids(article.body_html)[0])
    assert (again.alt, again.credit, again.licence, again.rights_expire_on) == (
        "Inline alt", "Inline credit", "CC BY 4.0", datetime.date(2031, 1, 2))  # fmt: skip
    assert again.focal == (0.25, 0.75) and article.lead_image.caption == "Lead caption"
    assert Image.objects.count() == 2


def test_import_reads_hugo_page_bundles(tmp_path):
    bundle = tmp_path / "content" / "world" / "ferry"
    bundle.mkdir(parents=True)
    (bundle / "cover.jpg").write_bytes(picture_bytes(color=(90, 10, 10)))
    (bundle / "deck.jpg").write_bytes(picture_bytes(color=(10, 90, 10)))
    (tmp_path / "secret.jpg").write_bytes(picture_bytes(color=(1, 2, 3)))
    (bundle / "index.md").write_text(
        "---\ntitle: The ferry returns\ndate: 2026-01-02\nimage: cover.jpg\nimageAlt: The ferry\n"
        "resources:\n- src: deck.jpg\n  title: On deck\n  params:\n    credit: Crew\n    alt: The deck\n---\n"
        '![Deck](deck.jpg "Morning")\n\n![Outside](../../../secret.jpg)\n\n![Far](https://example.org/x.jpg)\n'
    )
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path / "content"), stdout=out)
    article = Article.objects.get(slug="ferry")
    deck = Image.objects.get(credit="Crew")
    assert (deck.alt, deck.caption) == ("The deck", "On deck")
    assert f'![Deck](image:{deck.pk} "Morning")' in article.body
    assert "../../../secret.jpg" in article.body and "https://example.org/x.jpg" in article.body  # left as they are
    assert article.lead_image is not None and article.lead_image_url == "" and article.section.slug == "world"
    assert Image.objects.count() == 2
    call_command("import_markdown", str(tmp_path / "content"), stdout=out)
    assert Image.objects.count() == 2 and Article.objects.get(slug="ferry").body == article.body


def test_fetch_images_brings_body_pictures_into_the_library(tmp_path, picture_server, settings):
    settings.NEWSROOM_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    picture_server.routes["/inline.jpg"] = (200, {"Content-Type": "image/jpeg"}, picture_bytes(color=(0, 0, 99)))
    url = picture_server.base + "/inline.jpg"
    write(tmp_path, "a.md", f"---\ntitle: Fetched\ndate: 2026-01-02\n---\n![Remote]({url})\n")
    run_import(tmp_path)
    assert url in Article.objects.get().body and not Image.objects.exists()  # without the flag: as it is
    out, err, error = run_import(tmp_path, fetch_images=True, force=True)
    assert error is None, err
    picture = Image.objects.get()
    assert picture.source == url and Article.objects.get().body.strip() == f"![Remote](image:{picture.pk})"
    run_import(tmp_path, fetch_images=True, force=True)
    assert Image.objects.count() == 1


def test_a_bundle_whose_article_the_newsroom_edited_adds_no_pictures(tmp_path):
    """An article edited since its import is kept as it is, and its file's pictures stay out of the library."""
    bundle = tmp_path / "story"
    bundle.mkdir()
    (bundle / "index.md").write_text("---\ntitle: Story\ndate: 2026-01-02\n---\nText.\n")
    call_command("import_markdown", str(tmp_path), stdout=io.StringIO())
    article = Article.objects.get(slug="story")
    article.dek = "Edited in the newsroom."
    article.save()
    (bundle / "new.jpg").write_bytes(picture_bytes())
    (bundle / "index.md").write_text("---\ntitle: Story\ndate: 2026-01-02\n---\nText.\n\n![New](new.jpg)\n")
    out = io.StringIO()
    call_command("import_markdown", str(tmp_path), stdout=out)
    assert "kept" in out.getvalue() and not Image.objects.exists()


def test_a_pictures_rights_survive_export_and_import_into_an_empty_newsroom(tmp_path):
    """Creator, copyright notice, licence URL and where to license it come back with the picture, as its credit does."""
    rights = {"creator": 'Ana "Lens" Ruiz', "copyright_notice": "© 2026 Ana Ruiz / Harbour & Sea Agency",
              "licence_url": "https://creativecommons.org/licenses/by/4.0/",
              "licence_page_url": "https://agency.example/license?id=7&size=xl"}  # fmt: skip
    lead = make_picture(alt="Quay", credit="Harbour Agency", licence="CC BY 4.0", name="quay.jpg", **rights)
    make_article(title="Rights travel", slug="rights-travel", lead_image=lead)
    call_command("export_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    Article.objects.all().delete()
    Image.objects.all().delete()
    call_command("import_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    again = Article.objects.get(slug="rights-travel").lead_image
    assert {name: getattr(again, name) for name in rights} == rights
    assert again.renditions_current()


def test_a_licence_address_that_is_no_web_address_fails_its_file(tmp_path):
    """``licenceUrl: javascript:…`` (or a number) is refused with the file and its line; nothing is written."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "quay.jpg").write_bytes(picture_bytes())
    for value in ("javascript:alert(1)", "12"):
        write(folder, "index.md", "---\ntitle: Quay\ndate: 2024-05-01\nimage: quay.jpg\nresources:\n- src: quay.jpg\n"
              f"  params:\n    licenceUrl: {value}\n---\nText.\n")  # fmt: skip
        _out, err, error = run_import(folder)
        assert error is not None and "params.licenceUrl: expected an http:// or https:// address" in err
        assert not Article.objects.exists() and not Image.objects.exists()

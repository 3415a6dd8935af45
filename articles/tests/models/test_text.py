"""Text as stored: single-line fields hold one line whatever way they come in, names and old addresses are
compared as they are stored, and a clash says which row already has the value."""

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from articles.models import Article, ArticleAlias, Author, Byline, Image, NormalText, SiteSettings, normalize_text
from articles.tests.factories import article_form, make_article, make_author
from articles.workflow import transitions

pytestmark = pytest.mark.django_db

BROKEN = "Council\r\nvotes\n\u2028to close\rthe pier\n"
FOLDED = "Council votes to close the pier"


def test_every_single_line_field_of_every_model_is_kept_to_one_line():
    """Every model with a field a person fills in on one line folds line breaks there, and keeps them in
    multi-line text: the rule cannot be forgotten by a new model or field."""
    for model in apps.get_app_config("articles").get_models():
        single = [
            f for f in model._meta.concrete_fields if isinstance(f, models.CharField) and f.editable and not f.choices
        ]
        if not single or model.__name__.startswith("Historical"):
            continue
        assert issubclass(model, NormalText), model
        row = model()
        for field in single:
            setattr(row, field.attname, BROKEN)
        multi = [f for f in model._meta.concrete_fields if isinstance(f, models.TextField)]
        for field in multi:
            setattr(row, field.attname, BROKEN)
        normalize_text(row)
        for field in single:
            assert "\n" not in getattr(row, field.attname) and "\r" not in getattr(row, field.attname), field
        for field in multi:
            assert getattr(row, field.attname) == BROKEN, field


def test_a_headline_typed_with_line_breaks_is_saved_on_one_line(client_for, editor):
    """The admin's form folds line breaks in the headline, the caption, the credit and the tags."""
    typed = article_form(title=BROKEN, body="Body\r\nkept\r\n", lead_image_caption="A\r\nB", lead_image_credit="C\nD",
                         tags='"Harbour\r\n  works", Pier')  # fmt: skip
    response = client_for(editor).post(reverse("admin:articles_article_add"), typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert (article.title, article.lead_image_caption, article.lead_image_credit) == (FOLDED, "A B", "C D")
    assert article.body == "Body\r\nkept"  # a textarea's CRLF is kept (the form strips the ends)
    assert sorted(article.tags.names()) == ["Harbour works", "Pier"]


def test_every_other_way_in_folds_them_too(editor):
    """Saving a model, the library, the site settings and the banner fold line breaks the same way."""
    article = make_article(title=BROKEN, lead_image_alt="alt\ntext")
    assert (article.title, article.lead_image_alt) == (FOLDED, "alt text")
    site = SiteSettings.load()
    site.name, site.tagline = "The\r\nGazette", "News\nfrom the bay"
    site.save()
    site.refresh_from_db()
    assert (site.name, site.tagline) == ("The Gazette", "News from the bay")
    author = Author.objects.create(name="Amy\r\n  Photo")
    assert author.name == "Amy Photo"
    byline = Byline.objects.create(article=article, author=author, role="Photos\nand words")
    assert byline.role == "Photos and words"


def test_import_folds_line_breaks_in_front_matter(tmp_path):
    """Front matter's one-line values (headline, credits, roles) arrive on one line, in the bulk path too."""
    (tmp_path / "pier.md").write_text(
        '---\ntitle: "Council\\r\\nvotes"\nimageCredit: "Staff\\nphotographer"\ndate: 2026-01-05T10:00:00Z\n'
        'authors:\n  - name: "Amy\\nPhoto"\n    role: "Reporting\\r\\nand photos"\n---\nBody.\n'
    )
    call_command("import_markdown", str(tmp_path), stdout=__import__("io").StringIO())
    article = Article.objects.get()
    assert (article.title, article.lead_image_credit) == ("Council votes", "Staff photographer")
    byline = article.bylines.get()
    assert (byline.author.name, byline.role) == ("Amy Photo", "Reporting and photos")


def test_mail_for_a_headline_stored_with_line_breaks_still_goes(
    writer, editor, django_capture_on_commit_callbacks, eager_jobs
):
    """Rows saved before headlines were kept to one line still get their e-mail, with a one-line subject."""
    writer.email = "wendy@example.org"
    writer.save()
    article = make_article(title="Pier", status=Article.Status.DRAFT, published_at=None, created_by=writer)
    Byline.objects.create(article=article, author=writer.author)
    Article.objects.filter(pk=article.pk).update(title="Council\r\nvotes")
    SiteSettings.objects.filter(pk=1).update(name="The\nGazette")
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.apply(article, "publish", editor)
    assert [m.subject for m in mail.outbox] == ["[The Gazette] Published: Council votes"]


def test_an_author_name_the_same_but_for_spacing_or_case_is_refused_naming_the_author(client_for, editor):
    """The author form refuses a name stored the same as another's, and says whose it is."""
    amy = make_author("Amy Photo")
    response = client_for(editor).post(
        reverse("admin:articles_author_add"),
        {"name": "amy \t PHOTO", "slug": "", "bio": "", "photo": "", "user": "", "email": "", "website": ""},
    )
    assert response.status_code == 200
    assert f"The author “Amy Photo” (id {amy.pk}) already has this name" in response.content.decode()
    assert Author.objects.count() == 1


def test_an_old_address_is_stored_as_it_is_looked_up_and_a_clash_names_its_owner(client_for, editor):
    """An alias typed without its slashes is stored the way readers' requests are looked up (so it redirects),
    and one that another article already has is refused in the form, not by the unique index."""
    pier = make_article(title="Pier closes")
    ArticleAlias.objects.create(path="/articles/old-pier/", article=pier)
    other = make_article(title="Ferry returns")
    data = article_form(title=other.title, slug=other.slug, body=other.body, dek=other.dek, version=other.version)
    data |= {"aliases-TOTAL_FORMS": 1, "aliases-0-path": "articles/old-pier", "aliases-0-article": other.pk}
    data |= {"published_at_0": "2026-01-05", "published_at_1": "10:00:00"}
    client = client_for(editor)
    response = client.post(reverse("admin:articles_article_change", args=[other.pk]), data)
    assert response.status_code == 200
    assert "Path already used by the article alias “/articles/old-pier/”" in response.content.decode()
    data["aliases-0-path"] = "articles/older-ferry"
    response = client.post(reverse("admin:articles_article_change", args=[other.pk]), data)
    assert response.status_code == 302
    assert client.get("/articles/older-ferry/")["Location"] == other.get_absolute_url()


def test_library_text_is_kept_to_one_line(media_root):
    """A picture's caption, credit and alt text fold their line breaks when it is saved."""
    from articles.tests.factories import make_picture

    picture = make_picture(caption="Pier\r\nat dusk", credit="Staff\n", alt="A\npier")
    picture = Image.objects.get(pk=picture.pk)
    assert (picture.caption, picture.credit, picture.alt) == ("Pier at dusk", "Staff", "A pier")

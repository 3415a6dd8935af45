"""An article's JSON-LD as a crawler reads it (extracted from the page by extruct) and checked offline against
schema.org's published vocabulary and Google's requirements (``tests.structured_data``): its kind of work, its
bylines, pictures, corrections, sponsor and publisher."""

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Correction, KindOfWork, SiteSettings, site_today
from articles.models.kinds import SchemaType
from articles.tests.factories import make_article, make_author, make_picture
from pagecache.generation import invalidate
from tests.structured_data import check, extract, page_problems, recommended_missing

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def blocks(client, article):
    """The page's JSON-LD blocks (after checking they have no problem at all), and the article's own."""
    page = client.get(article.get_absolute_url()).content.decode()
    assert page_problems(page) == []
    found = extract(page)
    (own,) = [block for block in found if block["@type"] != "BreadcrumbList"]
    return found, own


def article_data(client, article):
    return blocks(client, article)[1]


@pytest.mark.parametrize(
    "slug, schema_type",
    [("news", "NewsArticle"), ("analysis", "AnalysisNewsArticle"), ("opinion", "OpinionNewsArticle"),
     ("review", "ReviewNewsArticle"), ("explainer", "BackgroundNewsArticle"),
     ("sponsored", "AdvertiserContentArticle")],
)  # fmt: skip
def test_each_kind_of_work_is_its_schema_type_and_genre(client, policies, slug, schema_type):
    """Every kind the newsroom starts with is published as its schema.org type, named as its genre, valid."""
    kind = KindOfWork.objects.get(slug=slug)
    article = make_article(kind=kind, sponsor="Acme Ferries" if kind.sponsored else "")
    found, data = blocks(client, article)
    assert data["@type"] == schema_type and data["genre"] == kind.name
    assert [block["@type"] for block in found] == [schema_type, "BreadcrumbList"]


@pytest.mark.parametrize("schema_type", list(SchemaType))
def test_every_type_an_editor_may_choose_is_valid(client, schema_type):
    """Each schema.org type the kinds' form offers (reportage, a call for information and satire too) gives a
    page with no error."""
    sponsored = schema_type == SchemaType.SPONSORED
    kind = KindOfWork.objects.create(name=f"Kind {schema_type.value}", schema_type=schema_type, sponsored=sponsored)
    _, data = blocks(client, make_article(kind=kind, sponsor="Acme Ferries" if sponsored else ""))
    assert data["@type"] == schema_type.value


def test_an_article_without_a_kind_is_a_news_article_without_a_genre(client):
    """No kind chosen: a plain NewsArticle."""
    data = article_data(client, make_article())
    assert data["@type"] == "NewsArticle" and "genre" not in data


def test_a_sponsored_piece_names_its_sponsor(client):
    """The sponsor is an Organization; a piece with none names none."""
    sponsored = KindOfWork.objects.get(slug="sponsored")
    data = article_data(client, make_article(kind=sponsored, sponsor="Acme Ferries"))
    assert data["sponsor"] == {"@type": "Organization", "name": "Acme Ferries"}
    assert "sponsor" not in article_data(client, make_article(kind=KindOfWork.objects.get(slug="news")))


def test_a_renamed_kind_is_renamed_in_the_json_ld(client):
    """The page, kept in the page cache and rendered from a kept fragment, is made again when its kind changes."""
    kind = KindOfWork.objects.get(slug="analysis")
    article = make_article(kind=kind)
    assert article_data(client, article)["genre"] == "Analysis"
    kind.name, kind.schema_type = "Comment", "OpinionNewsArticle"
    kind.save()
    invalidate()  # the page cache's part: the fragment is the JSON-LD's
    data = article_data(client, article)
    assert (data["genre"], data["@type"]) == ("Comment", "OpinionNewsArticle")


def test_bylines_are_people_with_their_roles(client):
    """Each author a Person with name, page and role in the newsroom (none when not set); a new role shows."""
    editor = make_author("Ana Ruiz", job_title="Health editor")
    article = make_article(authors=[editor, make_author("Ben Ode")])
    assert article_data(client, article)["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": f"{SITE}/authors/ana-ruiz/", "jobTitle": "Health editor"},
        {"@type": "Person", "name": "Ben Ode", "url": f"{SITE}/authors/ben-ode/"},
    ]
    editor.job_title = "Deputy editor"
    editor.save()
    assert article_data(client, article)["author"][0]["jobTitle"] == "Deputy editor"


def test_pictures_are_image_objects_with_their_rights(client):
    """The lead picture (with the article's own caption and credit) and the body's, each an ImageObject with
    its largest rendition and what the library knows of its rights, and nothing it does not know."""
    lead = make_picture(size=(2000, 1000), alt="Quay", caption="Library caption", credit="Jo Lens/Agency",
                        creator="Jo Lens", copyright_notice="© 2026 Jo Lens",
                        licence_url="https://creativecommons.org/licenses/by/4.0/",
                        licence_page_url="https://agency.example/license/1")  # fmt: skip
    body = make_picture(color=(200, 10, 10), alt="Boat", credit="Sam Snap")
    article = make_article(lead_image=lead, lead_image_caption="The quay at dawn.",
                           body=f"Text.\n\n![Boat](image:{body.pk})\n\nMore.")  # fmt: skip
    first, second = article_data(client, article)["image"]
    largest = lead.renditions["sources"][-1]
    assert first == {
        "@type": "ImageObject",
        "url": SITE + "/media/" + largest["jpg"],
        "contentUrl": SITE + "/media/" + largest["jpg"],
        "width": {"@type": "QuantitativeValue", "value": largest["width"], "unitCode": "E37"},
        "height": {"@type": "QuantitativeValue", "value": largest["height"], "unitCode": "E37"},
        "caption": "The quay at dawn.",
        "creditText": "Jo Lens/Agency",
        "creator": {"@type": "Person", "name": "Jo Lens"},
        "copyrightNotice": "© 2026 Jo Lens",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "acquireLicensePage": "https://agency.example/license/1",
    }
    assert second["creditText"] == "Sam Snap" and second["creator"] == {"@type": "Person", "name": "Sam Snap"}
    assert not {"caption", "copyrightNotice", "license", "acquireLicensePage"} & set(second)
    assert second["url"].endswith(body.renditions["sources"][-1]["jpg"])


def test_a_staff_picture_is_credited_to_the_publisher_and_an_outside_picture_to_its_credit(client):
    """A credit naming the publisher is an Organization; a picture from outside the library has its address and
    the article's words."""
    staff = make_picture(alt="Staff", credit=SiteSettings.current().publisher_name)
    article = make_article(body=f"![Staff](image:{staff.pk})", lead_image_url="https://img.example/x.jpg",
                           lead_image_caption="From outside.", lead_image_credit="Wire")  # fmt: skip
    outside, own = article_data(client, article)["image"]
    assert outside == {
        "@type": "ImageObject",
        "url": "https://img.example/x.jpg",
        "contentUrl": "https://img.example/x.jpg",
        "caption": "From outside.",
        "creditText": "Wire",
    }
    assert own["creator"]["@type"] == "Organization"


def test_a_picture_whose_rights_ended_is_in_no_json_ld(client, time_machine):
    """From the day its rights run out, neither the lead nor a body picture is named, with no edit."""
    ends = site_today() + datetime.timedelta(days=2)
    lead = make_picture(alt="Lead", credit="A", rights_expire_on=ends)
    body = make_picture(color=(9, 9, 9), alt="Body", credit="B", rights_expire_on=ends)
    article = make_article(lead_image=lead, body=f"![Body](image:{body.pk})")
    assert len(article_data(client, article)["image"]) == 2
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "image" not in extract(page)[0] and lead.renditions["sources"][-1]["jpg"] not in page


def test_corrections_are_correction_comments_and_move_date_modified(client):
    """Each correction (not an update) is a CorrectionComment with its time and text; dateModified is the latest
    correction's or update's time, never before the last edit."""
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    edited = timezone.now() - timedelta(days=1)
    article.updated_at = edited
    article.save()
    first = Correction.objects.create(article=article, text="The mayor's name is **Ana** Ruiz & not Ana Ruis.",
                                      created_at=timezone.now() - timedelta(hours=5))  # fmt: skip
    update = Correction.objects.create(article=article, kind=Correction.Kind.UPDATE, text="Police named the suspect.",
                                       created_at=timezone.now() - timedelta(hours=2))  # fmt: skip
    data = article_data(client, article)
    assert data["correction"] == [{
        "@type": "CorrectionComment", "url": f"{SITE}{article.get_absolute_url()}#correction-{first.pk}",
        "datePublished": first.created_at.isoformat(), "text": "The mayor’s name is Ana Ruiz & not Ana Ruis.",
    }]  # fmt: skip
    assert data["dateModified"] == update.created_at.isoformat()
    # A correction imported without dating the article (a bulk write) still moves dateModified.
    late = timezone.now() - timedelta(minutes=5)
    Correction.objects.bulk_create(
        [Correction(article=article, text="Late.", text_html="<p>Late.</p>", created_at=late)]
    )
    invalidate()
    data = article_data(client, article)
    assert data["dateModified"] == late.isoformat() and len(data["correction"]) == 2


def test_date_modified_is_never_before_the_last_edit(client):
    """An old correction does not take dateModified back before the article's own "Updated" time."""
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    Correction.objects.create(article=article, text="Old.", created_at=timezone.now() - timedelta(days=2))
    article.refresh_from_db()
    article.updated_at = timezone.now() - timedelta(hours=1)
    article.save()
    assert article_data(client, article)["dateModified"] == article.updated_at.isoformat()


def test_the_publisher_is_a_news_media_organization_with_its_policies(client, policies):
    """The publisher names each policy page (as an absolute address) and its ethics policy as its principles;
    a page without a schema.org property (about us) is not named; a change to the pages shows."""
    article = make_article()
    publisher = article_data(client, article)["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["url"] == SITE + "/"
    assert publisher["ethicsPolicy"] == publisher["publishingPrinciples"] == SITE + "/about/ethics/"
    assert publisher["correctionsPolicy"] == SITE + "/about/corrections/"
    assert publisher["masthead"] == SITE + "/about/masthead/"
    assert publisher["actionableFeedbackPolicy"] == SITE + "/about/contact/"
    assert SITE + "/about/us/" not in publisher.values()
    del policies[1]  # the ethics policy is unpublished
    invalidate()
    publisher = article_data(client, article)["publisher"]
    assert "ethicsPolicy" not in publisher and "publishingPrinciples" not in publisher


def test_a_full_article_has_every_recommended_property_and_no_error(client, policies):
    """An article with everything (kind, bylines with roles, a credited and licensed picture, a correction, a
    section and tags) has no error and lacks nothing Google recommends."""
    site = SiteSettings.current()
    site.social_profiles = "https://social.example/@newsroom"
    site.save()
    rights = {"copyright_notice": "© Jo Lens", "licence_url": "https://licence.example/",
              "licence_page_url": "https://licence.example/buy"}  # fmt: skip
    picture = make_picture(alt="Quay", credit="Jo Lens", creator="Jo Lens", **rights)
    article = make_article(kind=KindOfWork.objects.get(slug="opinion"), lead_image=picture, tags=["Harbour"],
                           authors=[make_author("Ana Ruiz", job_title="Columnist")])  # fmt: skip
    Correction.objects.create(article=article, text="A date was wrong.")
    data = article_data(client, article)
    assert recommended_missing(data) == set()
    assert {"correction", "genre", "keywords", "image", "publisher"} <= set(data)


def test_the_check_finds_a_property_on_the_wrong_type_and_a_wrong_value(client):
    """The checker can fail on an article: a property its type lacks, an unknown type, a bad date."""
    data = article_data(client, make_article(kind=KindOfWork.objects.get(slug="review")))
    assert check(data) == []
    assert any("has no property 'masthead'" in problem for problem in check(data | {"masthead": SITE + "/"}))
    assert any("not a schema.org class" in problem for problem in check(data | {"@type": "OpinionArticle"}))
    wrong = check(data | {"dateModified": "last Tuesday"})
    assert any("Text where dateModified expects" in problem for problem in wrong)

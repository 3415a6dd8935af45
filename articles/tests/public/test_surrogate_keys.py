"""Every reader page carries, in its ``xkey`` header, the surrogate keys of what it shows and no others, so that
a purge of a thing's keys drops exactly the pages that showed it (``articles.models.surrogates``)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Correction, Image, Section
from articles.models import surrogates as names
from articles.tests.factories import make_article, make_author, make_picture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def edge(settings):
    """Pages carry their keys when an edge is purged by them."""
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_EDGE_PURGE_SECRET = "test-secret"


CHROME = {names.SITE, names.NAVIGATION, names.BANNER}
FEED_FORMATS = ("rss", "atom", "json")


def keys_of(response):
    return set(response["xkey"].split())


@pytest.fixture
def world():
    """Two sections, two authors, three tags: a story (lead picture, body picture, a correction) and a related
    one in Politics, an unrelated one in World, and a withdrawn one."""
    politics = Section.objects.create(name="Politics", position=1)
    world = Section.objects.create(name="World", position=2)
    ann, bo = make_author("Ann Byline"), make_author("Bo Elsewhere")
    lead, figure = make_picture(alt="The harbour"), make_picture(alt="The bridge", color=(200, 10, 10))
    body = f"Text.\n\n![The bridge](image:{figure.pk})"
    story = make_article(title="Harbour reopens", section=politics, authors=[ann], tags=["Harbour", "Bridge"],
                         lead_image=lead, lead_image_alt="Harbour", body=body)  # fmt: skip
    Correction.objects.create(article=story, text="An earlier version misdated the reopening.")
    related = make_article(title="Ferry returns", section=politics, authors=[ann], tags=["Harbour"],
                           published_at=timezone.now() - timedelta(hours=2))  # fmt: skip
    unrelated = make_article(title="Storm abroad", section=world, authors=[bo], tags=["Weather"],
                             published_at=timezone.now() - timedelta(hours=3))  # fmt: skip
    gone = make_article(title="Recanted", status=Article.Status.WITHDRAWN, section=politics, authors=[ann])
    tags = {tag.name: tag for tag in Tag.objects.all()}
    return {"politics": politics, "world": world, "ann": ann, "bo": bo, "lead": lead, "figure": figure,
            "story": story, "related": related, "unrelated": unrelated, "gone": gone, "tags": tags}  # fmt: skip


def card(world, name):
    """The keys of one article's card in ``world``."""
    article = world[name]
    found = {names.article(article.pk), names.section(article.section_id)}
    found |= {names.author(byline.author_id) for byline in article.bylines.all()}
    found |= {names.tag(tag.pk) for tag in article.tags.all()}
    if article.lead_image_id:
        found.add(names.picture(article.lead_image_id))
    return found


def test_the_article_page_carries_what_it_shows_and_what_its_related_list_depends_on(client, world):
    tags = world["tags"]
    shown = keys_of(client.get(world["story"].get_absolute_url()))
    assert shown >= CHROME | card(world, "story")
    assert names.picture(world["figure"].pk) in shown  # the body's library picture
    assert {names.tag_list(tags["Harbour"].pk), names.tag_list(tags["Bridge"].pk)} <= shown  # the related list
    assert names.article(world["related"].pk) in shown
    unrelated = world["unrelated"]
    assert not shown & {names.article(unrelated.pk), names.author(world["bo"].pk), names.section(world["world"].pk),
                        names.section_list(world["politics"].pk), names.tag_list(tags["Weather"].pk),
                        names.LATEST, names.HOME, names.MISSING}  # fmt: skip


def test_the_front_page_carries_its_layout_and_every_card(client, world):
    shown = keys_of(client.get(reverse("articles:home")))
    assert shown >= CHROME | {names.HOME, names.LATEST}
    assert {names.section_list(world["politics"].pk), names.section_list(world["world"].pk)} <= shown
    assert shown >= card(world, "story") | card(world, "related") | card(world, "unrelated")
    assert names.article(world["gone"].pk) not in shown
    assert names.picture(world["figure"].pk) not in shown  # a card shows no body


def test_the_latest_list_and_the_archive(client, world):
    for url in (reverse("articles:latest"), reverse("articles:archive")):
        shown = keys_of(client.get(url))
        assert shown >= CHROME | {names.LATEST} | card(world, "story") | card(world, "unrelated"), url
        assert names.HOME not in shown and names.article(world["gone"].pk) not in shown, url


def test_a_section_front_carries_its_section_and_list_and_nothing_of_another(client, world):
    politics, other = world["politics"], world["world"]
    shown = keys_of(client.get(politics.get_absolute_url()))
    assert shown >= CHROME | {names.section(politics.pk), names.section_list(politics.pk)}
    assert shown >= card(world, "story") | card(world, "related")
    assert not shown & {names.article(world["unrelated"].pk), names.section_list(other.pk), names.LATEST}


def test_a_tag_page_and_an_author_page(client, world):
    harbour = world["tags"]["Harbour"]
    shown = keys_of(client.get(reverse("articles:tag", args=[harbour.slug])))
    assert shown >= CHROME | {names.tag(harbour.pk), names.tag_list(harbour.pk)} | card(world, "related")
    assert names.article(world["unrelated"].pk) not in shown
    ann = world["ann"]
    shown = keys_of(client.get(ann.get_absolute_url()))
    assert shown >= CHROME | {names.author(ann.pk), names.author_list(ann.pk)} | card(world, "story")
    assert not shown & {names.article(world["unrelated"].pk), names.author(world["bo"].pk)}


def test_the_list_of_tags(client, world):
    shown = keys_of(client.get(reverse("articles:tags")))
    assert shown >= CHROME | {names.TAGS} | {names.tag(tag.pk) for tag in world["tags"].values()}
    assert names.article(world["story"].pk) not in shown


def test_the_corrections_page_and_feed_name_the_corrected_articles(client, world):
    for url in [reverse("articles:corrections")] + [reverse(f"articles:corrections_feed_{f}") for f in FEED_FORMATS]:
        shown = keys_of(client.get(url))
        assert {names.SITE, names.CORRECTIONS, names.article(world["story"].pk)} <= shown, url
        assert names.article(world["unrelated"].pk) not in shown, url


@pytest.mark.parametrize("fmt", FEED_FORMATS)
def test_feeds_carry_their_list_and_each_entry_with_its_body_pictures(client, world, fmt):
    shown = keys_of(client.get(reverse(f"articles:feed_{fmt}")))
    assert shown >= {names.SITE, names.LATEST} | card(world, "story") | card(world, "unrelated")
    assert names.picture(world["figure"].pk) in shown
    harbour, ann, politics = world["tags"]["Harbour"], world["ann"], world["politics"]
    for url, listed in [
        (reverse(f"articles:tag_feed_{fmt}", args=[harbour.slug]), {names.tag(harbour.pk), names.tag_list(harbour.pk)}),
        (reverse(f"articles:author_feed_{fmt}", args=[ann.slug]), {names.author(ann.pk), names.author_list(ann.pk)}),
        (reverse(f"articles:section_feed_{fmt}", args=[politics.slug]),
         {names.section(politics.pk), names.section_list(politics.pk)}),
    ]:  # fmt: skip
        shown = keys_of(client.get(url))
        assert shown >= {names.SITE} | listed | card(world, "story") | card(world, "related"), url
        assert not shown & {names.article(world["unrelated"].pk), names.LATEST}, url


def test_missing_and_withdrawn_answers(client, world):
    gone = client.get(world["gone"].get_absolute_url())
    assert gone.status_code == 410
    assert keys_of(gone) >= CHROME | {names.MISSING, names.article(world["gone"].pk)}
    missing = client.get(reverse("articles:article", args=["no-such-story"]))
    assert missing.status_code == 404 and keys_of(missing) >= CHROME | {names.MISSING}
    assert names.article(world["story"].pk) not in keys_of(missing)
    empty = Section.objects.create(name="Obituaries")  # nothing published: no front for readers yet
    missing = client.get(empty.get_absolute_url())
    assert missing.status_code == 404
    assert keys_of(missing) >= {names.MISSING, names.section(empty.pk), names.section_list(empty.pk)}


def test_an_address_no_reader_view_answers_carries_no_keys(client, world):
    assert not client.get("/no/such/address/").has_header("xkey")


def test_a_page_from_the_app_cache_carries_the_keys_of_its_render(client, world):
    urls = [reverse("articles:home"), world["story"].get_absolute_url(), world["politics"].get_absolute_url(),
            reverse("articles:feed_rss"), reverse("articles:tags")]  # fmt: skip
    for url in urls:
        miss = client.get(url)
        hit = client.get(url)
        assert miss["X-Cache"] == "miss" and hit["X-Cache"] == "hit", url
        assert hit["xkey"] == miss["xkey"], url


def test_a_remembered_related_list_and_front_page_layout_tag_their_keys_again(client, world):
    """``?page=`` makes another page in the app cache, built from the same remembered values."""
    story, harbour = world["story"], world["tags"]["Harbour"]
    client.get(story.get_absolute_url())
    again = client.get(f"{story.get_absolute_url()}?page=2")
    assert again["X-Cache"] == "miss"
    assert {names.tag_list(harbour.pk), names.article(world["related"].pk)} <= keys_of(again)
    client.get(reverse("articles:home"))
    again = client.get(reverse("articles:home") + "?page=1")
    assert again["X-Cache"] == "miss"
    assert {names.HOME, names.section_list(world["world"].pk)} <= keys_of(again)


def test_a_signed_in_page_stays_private(client_for, editor, world):
    response = client_for(editor).get(world["story"].get_absolute_url())
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert not response.has_header("Surrogate-Control")


def test_the_worst_feed_keeps_its_keys_under_32_kb(client):
    """Fifty entries, each with its own section, three authors, six tags, a lead picture and three body
    pictures: every key distinct, as many as a feed can carry."""
    made = make_picture(size=(200, 150), alt="A picture")
    copies = Image.objects.bulk_create(
        [
            Image(
                **{
                    field.attname: getattr(made, field.attname)
                    for field in Image._meta.concrete_fields
                    if not field.primary_key
                }
            )
            for _ in range(200)
        ]  # fmt: skip
    )  # distinct rows (keys), sharing one picture's files: renditions cost seconds each
    for n in range(50):
        section = Section.objects.create(name=f"Desk {n}", in_navigation=False)
        pictures = copies[4 * n : 4 * n + 4]
        body = "\n\n".join(f"![](image:{picture.pk})" for picture in pictures[1:])
        make_article(section=section, authors=[make_author() for _ in range(3)],
                     tags=[f"Tag {n}-{k}" for k in range(6)], lead_image=pictures[0], lead_image_alt="A picture",
                     body=body, published_at=timezone.now() - timedelta(minutes=n + 1))  # fmt: skip
    header = client.get(reverse("articles:feed_json"))["xkey"]
    assert len(header.split()) == 50 * 15 + 2  # each entry's fifteen keys, the site and the list
    # The same number of keys with ten-digit ids (eleven characters and a space each) still fits.
    assert len(header.encode()) < (50 * 15 + 2) * 12 < 32 * 1024


def test_a_page_put_together_from_kept_fragments_still_tags_every_card(client, world):
    """A new generation renders the page again from the cards and entries kept before: each still tags."""
    from pagecache.generation import invalidate

    harbour = world["tags"]["Harbour"]
    urls = [
        reverse("articles:tag", args=[harbour.slug]),
        reverse("articles:feed_atom"),
        world["story"].get_absolute_url(),
    ]
    first = {url: client.get(url)["xkey"] for url in urls}
    invalidate()
    for url in urls:
        again = client.get(url)
        assert again["X-Cache"] == "miss" and again["xkey"] == first[url], url

"""The front page as a board: the pins as cards by place, reordered by posts that name the order seen, a story
pinned from the list of articles and unpinned, each only by those who may."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Pin
from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db

BOARD = reverse("admin:articles_pin_board")


@pytest.fixture
def pins():
    """Three top stories in this order and a lead, one of the top stories a draft."""
    top = [
        Pin.objects.create(article=make_article(title=f"Top story {n}", dek=f"What happened {n}."), position=n)
        for n in range(3)
    ]
    Article.objects.filter(pk=top[2].article_id).update(status=Article.Status.DRAFT)
    lead = Pin.objects.create(article=make_article(title="The lead"), place=Pin.Place.LEAD)
    return top, lead


def seen(place):
    return ",".join(str(pk) for pk in Pin.objects.filter(place=place).order_by("position", "-pinned_at", "pk")
                    .values_list("pk", flat=True))  # fmt: skip


def order(place):
    pins = Pin.objects.filter(place=place).order_by("position", "-pinned_at", "pk").select_related("article")
    return [pin.article.title for pin in pins]


def said(response):
    return [str(message) for message in response.context["messages"]]


def test_the_board_shows_the_pins_by_place_as_cards(client_for, editor, pins):
    response = client_for(editor).get(BOARD)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Lead stories") < page.index("The lead") < page.index("Top stories") < page.index("Top story 0")
    assert page.index("Top story 0") < page.index("Top story 1") < page.index("Top story 2")
    assert "What happened 1." in page  # the dek, as on the card
    assert "On the front page now, as the lead story." in page
    assert "Not shown: the story is draft." in page
    assert 'aria-label="Move down: Top story 0"' in page and 'aria-label="Move up: Top story 2"' in page
    # The pins' list in the admin is the board.
    assert client_for(editor).get(reverse("admin:articles_pin_changelist")).content.decode().count("board-card") == 4


def test_move_up_reorders_the_place_in_one_post(client_for, editor, pins):
    top, _ = pins
    client = client_for(editor)
    response = client.post(BOARD, {"action": "up", "pin": top[2].pk, "place": "top", "seen": seen("top")},
                           follow=True)  # fmt: skip
    assert order("top") == ["Top story 0", "Top story 2", "Top story 1"]
    assert list(Pin.objects.filter(place="top").order_by("position").values_list("position", flat=True)) == [0, 1, 2]
    assert "“Top story 2” moved up: 2 of 3 top stories." in said(response)
    response = client.post(BOARD, {"action": "down", "pin": top[0].pk, "place": "top", "seen": seen("top")},
                           follow=True)  # fmt: skip
    assert order("top") == ["Top story 2", "Top story 0", "Top story 1"]


def test_a_drag_saves_the_whole_order(client_for, editor, pins):
    top, _ = pins
    new = f"{top[1].pk},{top[2].pk},{top[0].pk}"
    response = client_for(editor).post(BOARD, {"action": "order", "place": "top", "seen": seen("top"), "order": new},
                                       follow=True)  # fmt: skip
    assert order("top") == ["Top story 1", "Top story 2", "Top story 0"]
    assert "The new order is saved." in said(response)


def test_an_order_changed_meanwhile_is_refused(client_for, editor, pins):
    """Two editors at once: the second one's move names the order before the first one's, and changes nothing."""
    top, _ = pins
    client = client_for(editor)
    before = seen("top")
    client.post(BOARD, {"action": "up", "pin": top[1].pk, "place": "top", "seen": before})
    after = order("top")
    response = client.post(BOARD, {"action": "down", "pin": top[1].pk, "place": "top", "seen": before}, follow=True)
    assert order("top") == after == ["Top story 1", "Top story 0", "Top story 2"]
    assert any("changed while you were looking" in message for message in said(response))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"pin": "lead"}, "not among the top stories"),  # the lead, posted as a top story
        ({"pin": "99999"}, "not among the top stories"),
        ({"pin": "1 OR 1=1"}, "not among the top stories"),
        ({"place": "bottom"}, "no such place on the front page"),
        ({"action": "sideways"}, "did not understand"),
        ({"action": "order", "order": "1,2"}, "does not list the same stories"),
    ],
)
def test_a_forged_move_is_refused_with_a_message(client_for, editor, pins, data, message):
    top, lead = pins
    post = {"action": "up", "pin": top[1].pk, "place": "top", "seen": seen("top"), **data}
    if post["pin"] == "lead":
        post["pin"] = lead.pk
    before = (order("top"), order("lead"))
    response = client_for(editor).post(BOARD, post, follow=True)
    assert response.status_code == 200
    assert (order("top"), order("lead")) == before
    assert any(message in text for text in said(response)), said(response)


def test_a_writer_may_neither_see_nor_change_the_board(client_for, writer, pins):
    top, _ = pins
    client = client_for(writer)
    assert client.get(BOARD).status_code == 403
    response = client.post(BOARD, {"action": "up", "pin": top[1].pk, "place": "top", "seen": seen("top")})
    assert response.status_code == 403
    assert order("top") == ["Top story 0", "Top story 1", "Top story 2"]


def test_a_story_is_pinned_first_in_its_place_and_unpinned(client_for, editor, pins):
    top, _ = pins
    client = client_for(editor)
    story = make_article(title="Fresh news")
    response = client.post(BOARD, {"action": "add", "article": story.pk, "place": "top"}, follow=True)
    assert order("top")[0] == "Fresh news" and len(order("top")) == 4
    assert Pin.objects.get(article=story).pinned_by == editor
    assert "“Fresh news” is pinned as a top story." in said(response)
    again = client.post(BOARD, {"action": "add", "article": story.pk, "place": "lead"})
    assert "“Fresh news” is pinned already, as a top story" in again.content.decode()
    response = client.post(BOARD, {"action": "remove", "pin": top[0].pk}, follow=True)
    assert "Top story 0" not in order("top")
    assert "“Top story 0” is no longer pinned." in said(response)


def test_the_first_lead_on_the_board_leads_the_front_page(client, pins):
    _, lead = pins
    newer = Pin.objects.create(article=make_article(title="Newer lead"), place=Pin.Place.LEAD, position=1)
    assert newer.pinned_at > lead.pinned_at
    page = client.get("/").content.decode()
    assert page.index("The lead") < page.index("Newer lead")  # second: among the top stories


def test_the_board_costs_the_same_queries_with_more_pins(client_for, editor, pins):
    client = client_for(editor)
    client.get(BOARD)
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    for n in range(5):
        Pin.objects.create(article=make_article(title=f"More {n}"), expires_at=timezone.now() + timedelta(days=1))
    client.get(BOARD)
    with CaptureQueriesContext(connection) as many:
        client.get(BOARD)
    assert len(many) == len(few)


def test_the_sections_lists_boxes_are_named_after_their_row(client_for, editor):
    from articles.models import Section

    Section.objects.create(name="Sport", slug="sport")
    page = client_for(editor).get(reverse("admin:articles_section_changelist")).content.decode()
    assert 'aria-label="Position of Sport"' in page and 'aria-label="In navigation of Sport"' in page


def test_who_may_only_look_at_the_board_is_offered_no_move_and_refused_one(client_for, pins):
    from django.contrib.auth.models import Permission, User

    top, _ = pins
    looker = User.objects.create_user("lou", password="pw-not-used", is_staff=True)
    looker.user_permissions.add(Permission.objects.get(codename="view_pin"))
    client = client_for(looker)
    page = client.get(BOARD).content.decode()
    assert "Top story 1" in page and "Move up:" not in page and ">Unpin<" not in page and "Pin it" not in page
    for action in ("up", "order", "remove", "add"):
        response = client.post(BOARD, {"action": action, "pin": top[1].pk, "place": "top", "seen": seen("top")})
        assert response.status_code == 403, action
    assert order("top") == ["Top story 0", "Top story 1", "Top story 2"]

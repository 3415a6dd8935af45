import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SiteSettings, site_today
from articles.models.site import Check
from articles.tests.factories import change_url, draft_by, form_data, kind_of_work, make_picture, refresh
from articles.workflow import checklist, transitions

pytestmark = pytest.mark.django_db


def require(*checks, headline_limit=None):
    site = SiteSettings.load()
    site.required_checks = list(checks)
    if headline_limit is not None:
        site.headline_limit = headline_limit
    site.save()


def good_picture(**fields):
    return make_picture(**{"alt": "Boats", "caption": "Harbour at dawn", "credit": "Ann Lee", "licence": "Staff",
                           **fields})  # fmt: skip


def ready_draft(user, **fields):
    """A draft that meets every item of the checklist: a kind of work, a short headline, no picture."""
    return draft_by(user, kind=kind_of_work("News"), **fields)


def falls_short(check, user):
    """A draft that misses ``check`` and nothing else, and the words the checklist names it with."""
    if check == Check.CREDIT:
        picture = good_picture(credit="")
        article = ready_draft(user, lead_image=picture, lead_image_alt="Boats")
        return article, f"a credit for the lead picture, picture #{picture.pk} “Harbour at dawn”"
    if check == Check.LICENCE:
        picture = good_picture(licence="")
        article = ready_draft(user, body=f"Text.\n\n![Boats](image:{picture.pk})")
        return article, f"a licence for picture #{picture.pk} “Harbour at dawn” in the body"
    if check == Check.RIGHTS:
        picture = good_picture(rights_expire_on=site_today() + datetime.timedelta(days=3))
        article = ready_draft(user, body=f"Text.\n\n![Boats](image:{picture.pk})")
        return article, f"rights for picture #{picture.pk} “Harbour at dawn” in the body that last while it is read"
    if check == Check.KIND:
        return draft_by(user), "a kind of work"
    if check == Check.HEADLINE:
        return ready_draft(user, title="H" * 111), "a headline of at most 110 characters (this one has 111)"
    assert check == Check.SPONSOR
    return draft_by(user, kind=kind_of_work("Sponsored")), "a sponsor: “Sponsored” is a sponsored"


ALL_CHECKS = list(Check)


class TestEachItem:
    def test_a_ready_draft_has_no_findings(self, writer):
        """The baseline the grid below departs from meets every item."""
        picture = good_picture()
        article = ready_draft(writer, lead_image=picture, body=f"![Boats](image:{picture.pk})")
        assert checklist.findings(article) == []

    @pytest.mark.parametrize("check", ALL_CHECKS)
    def test_an_item_not_required_warns_and_publishing_goes_on(self, check, writer, editor):
        """Each item the site does not require is a warning, and the article still publishes."""
        require(*[other for other in ALL_CHECKS if other != check])
        article, words = falls_short(check, writer)
        assert [str(warning) for warning in checklist.publish_warnings(article)] == [
            next(f.text for f in checklist.findings(article) if f.check == check)
        ]
        assert words in str(checklist.publish_warnings(article)[0])
        transitions.apply(article, "publish", editor)
        assert refresh(article).status == Article.Status.PUBLISHED

    @pytest.mark.parametrize("check", ALL_CHECKS)
    def test_a_required_item_refuses_publishing_and_scheduling_with_the_reason(self, check, writer, editor):
        """Each item the site requires stops Publish and Schedule, naming what is missing."""
        require(check)
        article, words = falls_short(check, writer)
        assert checklist.publish_warnings(article) == []
        with pytest.raises(transitions.TransitionError, match="missing .*" + words[:30]):
            transitions.apply(article, "publish", editor)
        with pytest.raises(transitions.TransitionError, match="missing .*" + words[:30]):
            transitions.apply(article, "schedule", editor, when=timezone.now() + datetime.timedelta(hours=2))
        assert refresh(article).status == Article.Status.DRAFT


class TestRights:
    def test_rights_are_judged_when_the_article_goes_live(self, writer, editor):
        """Rights ending 20 days on are enough to publish now, not to schedule for 15 days on (7 days of reading)."""
        require(Check.RIGHTS)
        picture = good_picture(rights_expire_on=site_today() + datetime.timedelta(days=20))
        article = ready_draft(writer, body=f"![Boats](image:{picture.pk})")
        later = timezone.now() + datetime.timedelta(days=15)
        with pytest.raises(transitions.TransitionError, match=f"rights for picture #{picture.pk}"):
            transitions.apply(article, "schedule", editor, when=later)
        transitions.apply(article, "schedule", editor, when=timezone.now() + datetime.timedelta(days=2))
        assert refresh(article).state() == "scheduled"

    def test_rights_outlasting_the_article_itself_are_enough(self, writer):
        """An article that expires before its picture's rights end loses nothing to them."""
        picture = good_picture(rights_expire_on=site_today() + datetime.timedelta(days=3))
        article = ready_draft(writer, body=f"![Boats](image:{picture.pk})")
        assert [f.check for f in checklist.findings(article)] == [Check.RIGHTS]
        article.expires_at = timezone.now() + datetime.timedelta(days=1)
        assert checklist.findings(article) == []

    def test_the_headline_limit_is_the_sites(self, writer):
        """The headline is measured against the limit in the site settings."""
        article = ready_draft(writer, title="A" * 60)
        assert checklist.findings(article) == []
        require(headline_limit=50)
        assert [f.text for f in checklist.findings(refresh(article))] == [
            "a headline of at most 50 characters (this one has 60)"
        ]


class TestOutsideLeadPicture:
    URL = "https://pictures.example/quay.jpg"

    def test_a_lead_picture_from_an_address_needs_a_credit_and_a_licence(self, writer):
        """A lead picture from outside the library is a picture too: without a credit it is told, and its licence
        is one the library cannot vouch for."""
        article = ready_draft(writer, lead_image_url=self.URL, lead_image_alt="The quay")
        found = checklist.findings(article)
        assert [(f.check, f.field) for f in found] == [
            (Check.CREDIT, "lead_image_url"),
            (Check.LICENCE, "lead_image_url"),
        ]
        assert found[0].text == f"a credit for the lead picture from {self.URL}"
        assert "add it to the media library" in found[1].text
        article.lead_image_credit = "Ann Lee"
        assert [f.check for f in checklist.findings(article)] == [Check.LICENCE]

    def test_a_required_licence_refuses_a_lead_picture_from_an_address(self, writer, editor):
        """With licences required, such a picture stops Publish until it is in the library with its licence."""
        require(Check.LICENCE)
        article = ready_draft(writer, lead_image_url=self.URL, lead_image_alt="The quay", lead_image_credit="Ann Lee")
        with pytest.raises(transitions.TransitionError, match="missing a licence for the lead picture from"):
            transitions.apply(article, "publish", editor)
        assert refresh(article).status == Article.Status.DRAFT


class TestInTheAdmin:
    def test_the_change_form_lists_warnings_with_a_link_to_the_picture(self, writer, editor, client_for):
        """The change form's checklist shows an item not required as Recommended, linked to the picture."""
        picture = good_picture(credit="")
        article = ready_draft(writer, lead_image=picture, lead_image_alt="Boats")
        page = client_for(editor).get(change_url(article)).content.decode()
        assert "Ready to publish." in page
        assert f"Recommended: a credit for the lead picture, picture #{picture.pk}" in page
        link = reverse("admin:articles_image_change", args=[picture.pk])
        assert f'<a href="{link}" target="_blank" rel="noopener">fix it in the media library' in page

    def test_a_required_item_refuses_publish_beside_its_field(self, writer, editor, client_for):
        """Publish through the admin is refused for a required credit, the reason at the top and by the picture."""
        require(Check.CREDIT)
        picture = good_picture(credit="")
        article = ready_draft(writer, lead_image=picture, lead_image_alt="Boats")
        data = form_data(refresh(article), lead_image_alt="Boats", _transition="publish")
        response = client_for(editor).post(change_url(article), data)
        page = response.content.decode()
        assert f"Publish was refused: missing a credit for the lead picture, picture #{picture.pk}" in page
        errors = response.context["adminform"].form.errors
        assert "a credit" in " ".join(errors["lead_image"])
        assert refresh(article).status == Article.Status.DRAFT
        data["lead_image_credit"] = "Ann Lee"  # the article's own credit for its lead picture is enough
        asked = client_for(editor).post(change_url(article), data)
        assert 'name="_confirm"' in asked.content.decode()

    @pytest.mark.parametrize(
        ("check", "field"), [(Check.SPONSOR, "sponsor"), (Check.KIND, "kind"), (Check.CREDIT, "body")]
    )
    def test_a_refusal_stands_beside_the_field_of_its_finding(self, check, field, writer, editor, client_for):
        """Each refused item stands by its own field only, whatever words its kind's name or picture's caption use."""
        require(check)
        if check == Check.CREDIT:
            picture = good_picture(credit="", caption="A headline kind of work by a sponsor")
            article = ready_draft(writer, body=f"Text.\n\n![Boats](image:{picture.pk})")
        else:
            article, _ = falls_short(check, writer)
        response = client_for(editor).post(change_url(article), form_data(refresh(article), _transition="publish"))
        errors = response.context["adminform"].form.errors
        assert [name for name in errors if name != "__all__"] == [field], errors
        assert refresh(article).status == Article.Status.DRAFT

    def test_a_required_item_refuses_scheduling_in_the_admin(self, writer, editor, client_for):
        """Schedule through the admin is refused as publishing is, for a required kind of work, beside its field."""
        require(Check.KIND)
        article = draft_by(writer)
        later = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
        data = form_data(refresh(article), _transition="schedule", published_at_0=later.strftime("%Y-%m-%d"),
                         published_at_1=later.strftime("%H:%M:%S"))  # fmt: skip
        response = client_for(editor).post(change_url(article), data)
        assert "Schedule was refused: missing a kind of work" in response.content.decode()
        assert "a kind of work" in " ".join(response.context["adminform"].form.errors["kind"])
        assert refresh(article).state() == Article.Status.DRAFT

    def test_the_publish_step_shows_warnings_and_confirming_publishes(self, writer, editor, client_for):
        """A warning is in the publish step, and confirming the step publishes all the same."""
        article = draft_by(writer, title="T" * 120)
        client = client_for(editor)
        data = form_data(refresh(article), _transition="publish")
        asked = client.post(change_url(article), data)
        page = asked.content.decode().split('id="action-step"')[1].split("</dialog>")[0]
        assert "Recommended: a headline of at most 110 characters (this one has 120)" in page
        assert "Recommended: a kind of work" in page
        confirm = f"publish:{asked.context['action_step']['digest']}"
        response = client.post(change_url(article), form_data(refresh(article), _confirm=confirm))
        assert response.status_code == 302
        assert refresh(article).status == Article.Status.PUBLISHED

    def test_bulk_publish_obeys_the_required_items(self, writer, editor, client_for):
        """The list's Publish action publishes the ready draft and refuses the one without a kind, saying why."""
        require(Check.KIND)
        ready, kindless = ready_draft(writer, title="Ready-kq"), draft_by(writer, title="Kindless-kq")
        response = client_for(editor).post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_selected", "_selected_action": [ready.pk, kindless.pk]},
            follow=True,
        )
        said = " ".join(str(message) for message in get_messages(response.wsgi_request))
        said = said or response.content.decode()
        assert "“Kindless-kq”: missing a kind of work" in said
        assert (refresh(ready).status, refresh(kindless).status) == (Article.Status.PUBLISHED, Article.Status.DRAFT)


class TestAfterPublishing:
    """A save of an article that is out or on its way (scheduled, embargoed, published) may not take away what
    the checklist requires: scheduling judged it, and a later save would otherwise send it out without."""

    def scheduled(self, writer, editor, **fields):
        article = ready_draft(writer, **fields)
        transitions.apply(refresh(article), "schedule", editor, when=timezone.now() + datetime.timedelta(days=1))
        return refresh(article)

    def test_a_scheduled_article_cannot_lose_a_required_kind(self, writer, editor, client_for):
        """Clearing the kind of a scheduled article is refused beside the field; it keeps its kind and schedule."""
        require(Check.KIND)
        article = self.scheduled(writer, editor)
        response = client_for(editor).post(change_url(article), form_data(article, kind="", title="Edited-kq"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing was saved: Save was refused: missing a kind of work" in page
        assert "a kind of work" in " ".join(response.context["adminform"].form.errors["kind"])
        stored = refresh(article)
        assert (stored.kind_id, stored.title, stored.state()) == (article.kind_id, article.title, "scheduled")

    def test_a_picture_without_a_required_credit_cannot_join_a_published_article(self, writer, editor, client_for):
        """A live article given a body picture without a credit, the credit being required, is refused."""
        require(Check.CREDIT)
        article = ready_draft(writer)
        transitions.apply(refresh(article), "publish", editor)
        picture = good_picture(credit="")
        body = f"Text.\n\n![Boats](image:{picture.pk})"
        response = client_for(editor).post(change_url(article), form_data(refresh(article), body=body))
        assert response.status_code == 200 and "a credit" in " ".join(response.context["adminform"].form.errors["body"])
        assert refresh(article).body == article.body

    def test_what_was_missing_before_does_not_stop_other_edits(self, writer, editor, client_for):
        """An article published before the kind was required still takes a typo fix; a warning-only item never
        stops a save; a draft saves whatever it lacks."""
        article = draft_by(writer, title="Old story-kq")
        transitions.apply(refresh(article), "publish", editor)
        require(Check.KIND)
        response = client_for(editor).post(change_url(article), form_data(refresh(article), title="Old story-kq fixed"))
        assert response.status_code == 302 and refresh(article).title == "Old story-kq fixed"
        require()
        live = ready_draft(writer)
        transitions.apply(refresh(live), "publish", editor)
        assert client_for(editor).post(change_url(live), form_data(refresh(live), kind="")).status_code == 302
        require(Check.KIND)
        draft = ready_draft(writer)
        assert client_for(editor).post(change_url(draft), form_data(refresh(draft), kind="")).status_code == 302
        assert refresh(draft).kind_id is None

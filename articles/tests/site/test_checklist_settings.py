import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import SiteSettings
from articles.models.site import Check

pytestmark = pytest.mark.django_db

FIELDS = ("name", "tagline", "public_url", "publisher_name", "language", "time_zone", "footer_text", "contact_email",
          "twitter_handle", "social_profiles", "headline_limit", "version")  # fmt: skip


def settings_form(**changes):
    site = SiteSettings.load()
    return {**{name: getattr(site, name) for name in FIELDS}, **changes}


def url():
    return reverse("admin:articles_sitesettings_change", args=[SiteSettings.load().pk])


def test_the_checklist_settings_are_checkboxes_with_their_labels(client_for, editor):
    """The screen shows the headline limit and one labelled checkbox per checklist item."""
    page = client_for(editor).get(url()).content.decode()
    assert '<input type="number" name="headline_limit" value="110"' in page
    for check in Check:
        assert f'type="checkbox" name="required_checks" value="{check.value}"' in page
        assert escape(check.label) in page


def test_an_editor_makes_items_required_and_sets_the_limit(client_for, editor):
    """Ticked items and a new limit are saved; unticking them all makes every item a warning again."""
    client = client_for(editor)
    response = client.post(url(), settings_form(headline_limit=90, required_checks=["credit", "kind"]))
    assert response.status_code == 302
    site = SiteSettings.load()
    assert (site.headline_limit, site.required_checks) == (90, ["credit", "kind"])
    assert site.requires(Check.CREDIT) and not site.requires(Check.RIGHTS)
    assert client.post(url(), settings_form()).status_code == 302
    assert SiteSettings.load().required_checks == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"headline_limit": "ten"}, "Enter a whole number."),
        ({"headline_limit": "5"}, "Ensure this value is greater than or equal to 20."),
        ({"headline_limit": "100000"}, "Ensure this value is less than or equal to 300."),
        ({"headline_limit": ""}, "This field is required."),
        ({"required_checks": ["credit", "moon"]}, "Select a valid choice. moon is not one of the available choices."),
    ],
)
def test_a_bad_value_is_a_form_error(client_for, editor, changes, message):
    """A limit that is no number or out of range, or an item that does not exist, is named on the form."""
    response = client_for(editor).post(url(), settings_form(**changes))
    assert response.status_code == 200
    assert message in " ".join(str(e) for errors in response.context["adminform"].form.errors.values() for e in errors)
    site = SiteSettings.load()
    assert (site.headline_limit, site.required_checks) == (110, [])


def test_a_stale_page_does_not_overwrite_the_checklist_settings(client_for, editor):
    """Two editors at once: the second save, from a page opened before the first, is refused."""
    client = client_for(editor)
    opened = settings_form()
    assert client.post(url(), settings_form(required_checks=["rights"])).status_code == 302
    assert client.post(url(), {**opened, "required_checks": ["kind"]}).status_code == 200
    assert SiteSettings.load().required_checks == ["rights"]

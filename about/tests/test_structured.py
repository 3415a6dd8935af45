"""The newsroom's pages in the publisher's JSON-LD, through the app's own provider: each published page whose role
names a policy is that NewsMediaOrganization property, valid for schema.org; an unpublished one is not named."""

import pytest

from about.models import Role
from about.tests.factories import make_page
from articles.tests.factories import make_article
from tests.structured_data import extract, page_problems

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"
POLICIES = {  # what schema.org's NewsMediaOrganization calls each role's page
    Role.MASTHEAD: "masthead", Role.ETHICS: "ethicsPolicy", Role.CORRECTIONS: "correctionsPolicy",
    Role.CONTACT: "actionableFeedbackPolicy", Role.DIVERSITY: "diversityPolicy",
    Role.VERIFICATION: "verificationFactCheckingPolicy", Role.SOURCES: "unnamedSourcesPolicy",
    Role.MISSION: "missionCoveragePrioritiesPolicy", Role.OWNERSHIP: "ownershipFundingInfo",
}  # fmt: skip


def publisher_on(client, path):
    page = client.get(path).content.decode()
    assert page_problems(page) == []
    return next(block for block in extract(page) if block["@type"] == "NewsMediaOrganization")


def test_every_policy_role_names_its_published_page_and_no_draft(client):
    """Each role's published page is named by its property on the front page; a draft's role is not named."""
    for role in Role:
        make_page(title=f"{role.label}-P1", slug=role.value, role=role, published=role != Role.DIVERSITY)
    organization = publisher_on(client, "/")
    named = {name: value for name, value in organization.items() if str(value).startswith(f"{SITE}/about/")}
    assert named == {
        prop: f"{SITE}/about/{role.value}/" for role, prop in POLICIES.items() if role != Role.DIVERSITY
    } | {"publishingPrinciples": f"{SITE}/about/ethics/"}


def test_an_article_publisher_names_the_policies_too(client):
    """An article's publisher is the same NewsMediaOrganization, naming the published policies."""
    make_page(title="Corrections-P3", slug="corrections", role=Role.CORRECTIONS)
    article = make_article(title="Quay vote-P4")
    (block,) = [found for found in extract(client.get(article.get_absolute_url()).content.decode())
                if found["@type"] == "NewsArticle"]  # fmt: skip
    assert block["publisher"]["correctionsPolicy"] == f"{SITE}/about/corrections/"

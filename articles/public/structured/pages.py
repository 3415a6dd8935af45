"""The JSON-LD of pages that are not articles: the front page's publisher and website, an author's profile."""

from articles.models import SiteSettings
from articles.public.structured.things import author_person, publisher

CONTEXT = "https://schema.org"


def front_page():
    """The front page's blocks: the publisher (a NewsMediaOrganization with its policies) and the website, which
    names it. No SearchAction: Google no longer shows a search box for it, and robots.txt keeps crawlers out of
    the search page."""
    site = SiteSettings.current()
    organization = {"@context": CONTEXT, "@id": site.public_url + "/#publisher"} | publisher()
    website = {"@context": CONTEXT, "@type": "WebSite", "name": site.name, "url": site.public_url + "/",
               "inLanguage": site.language, "publisher": {"@id": organization["@id"]}}  # fmt: skip
    if site.tagline:
        website["description"] = site.tagline
    return [organization, website]


def profile_page(author):
    """schema.org ProfilePage for an author's page, whose main entity is the author (``author_person``)."""
    person = author_person(author)
    return {"@context": CONTEXT, "@type": "ProfilePage", "url": person["url"], "mainEntity": person}

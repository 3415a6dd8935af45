"""The newsroom's own pages (about, masthead, policies, contact…) as the rest of the site links to them: every
page's footer, the publisher's JSON-LD (``NewsMediaOrganization``) and author pages. The app that keeps the pages
registers a provider from its ``AppConfig.ready()``; the content knows none of them."""

from dataclasses import dataclass

_PROVIDERS = []


@dataclass(frozen=True)
class PageLink:
    """One page readers may open: its title, its path on the site, its role (``about.models.Role``) and the
    schema.org property of ``NewsMediaOrganization`` that names it ("" for none)."""

    title: str
    path: str
    role: str = ""
    schema_property: str = ""
    in_footer: bool = True


def register(provider):
    """``provider() -> list[PageLink]``: the pages readers may see now, in the order they are listed."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def page_links():
    """Every registered provider's pages, in order."""
    return [link for provider in _PROVIDERS for link in provider()]


def by_role(role):
    """The page with role ``role``, or None."""
    return next((link for link in page_links() if link.role == role), None)

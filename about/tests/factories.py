import itertools

from about.models import NewsroomPage, Role

_counter = itertools.count(1)


def make_page(**fields):
    """A published page in the footer, of role "other" unless told otherwise."""
    n = next(_counter)
    fields.setdefault("title", f"Page number {n}")
    fields.setdefault("body", f"The text of page {n}.")
    fields.setdefault("role", Role.OTHER)
    fields.setdefault("published", True)
    return NewsroomPage.objects.create(**fields)


def form_data(page, **changes):
    """What the admin's change form of ``page`` posts, as it was opened (its version), with ``changes``."""
    data = {
        "title": page.title, "body": page.body, "summary": page.summary, "role": page.role, "slug": page.slug,
        "position": page.position, "version": page.version,
    }  # fmt: skip
    data |= {name: "on" for name in ("published", "in_footer") if getattr(page, name)}
    data |= changes
    return {name: value for name, value in data.items() if value is not None}

"""The back office: each module registers the admin of one part of the newsroom."""

from articles.admin import (  # noqa: F401 - each registers its admin classes
    article,
    authors,
    frontpage,
    kinds,
    library,
    sections,
    sitesettings,
    tags,
)

"""The desk's side of live coverage: posting, editing and approving updates in the admin and on the desk.

``updates`` registers the admin of updates, under whose URLs the desk's JSON endpoints (``views``) and each
update's revisions (``history``) are wired; ``panels`` are the live page's posting panel on its change form and
the live pages in progress on the desk, registered by ``live.apps``."""

from live.admin import updates  # noqa: F401 - registers UpdateAdmin

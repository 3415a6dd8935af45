"""Webhooks in the admin: the endpoints (``endpoints``) and the log of deliveries (``deliveries``)."""

from webhooks.admin import deliveries, endpoints  # noqa: F401 - registers the model admins

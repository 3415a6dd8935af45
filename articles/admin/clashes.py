"""The admin's answer when the database's unique index refuses a save that the form's validation let through a
moment before: another editor saved the same name (or address) in between. That save is undone with the admin's
transaction, and the form is validated once more, now against the row that won, so the editor gets the form back
with the clash named (the same message validation gives) instead of an error page."""

import logging

from django.db import IntegrityError
from taggit import admin as taggit_admin

logger = logging.getLogger("newsroom.admin")


class ValidateAgainOnClash:
    """For a ModelAdmin whose model has unique fields or indexes that two editors may fill at the same moment."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            logger.info("a unique index refused a %s save; validating the form again", self.model._meta.label)
        # A second refusal is not a race validation can name: it propagates.
        return super().changeform_view(request, object_id, form_url, extra_context)


class TagAdmin(ValidateAgainOnClash, taggit_admin.TagAdmin):
    """django-taggit's own tag admin, answering two editors who add one tag at once as the newsroom's admins do."""

"""What the desk keeps beside the articles: unsaved work (autosaves) and each person's notification choice."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from articles.models.text import NormalText


class Autosave(NormalText, models.Model):
    """The writing fields of a change form as one person last typed them, kept until they save the article.

    Not a revision and never shown to readers: saving an autosave does not touch the article or its version.
    An add form's autosave has no article yet.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves")
    article = models.ForeignKey("Article", null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves")
    title = models.CharField(max_length=300, blank=True)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(null=True, blank=True, help_text="The article's version the form was at.")
    refused = models.BooleanField(default=False, help_text="Kept from a save refused as out of date.")
    saved_at = models.DateTimeField(auto_now=True)

    FIELDS = ("title", "dek", "body")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            models.UniqueConstraint(fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new"),
        ]

    def __str__(self):
        return f"Autosave by {self.user} of {self.article or 'a new article'}"

    def differs_from(self, article):
        """Whether restoring it would change anything in the article as stored (or in an empty form)."""
        return any(getattr(self, name) != (getattr(article, name) if article else "") for name in self.FIELDS)

    @classmethod
    def keep(cls, user, article, fields, *, version=None, refused=False):
        values = {name: str(fields.get(name) or "") for name in cls.FIELDS}
        autosave, _ = cls.objects.update_or_create(
            user=user, article=article, defaults={**values, "version": version, "refused": refused}
        )
        return autosave


class DeskPreferences(models.Model):
    """One person's choices about what the desk sends them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_preferences")
    email_notifications = models.BooleanField(
        default=True,
        verbose_name="e-mail me about my articles",
        help_text="Submissions, articles sent back or published, and assignments that concern you.",
    )

    class Meta:
        verbose_name = "desk preferences"
        verbose_name_plural = "desk preferences"

    def __str__(self):
        return f"Preferences of {self.user}"

    @classmethod
    def wants_email(cls, users):
        """The users among ``users`` who have not opted out of e-mail (no preferences stored means yes)."""
        out = set(cls.objects.filter(user__in=users, email_notifications=False).values_list("user_id", flat=True))
        return [user for user in users if user.pk not in out and user.email]

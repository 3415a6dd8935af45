"""The workflow's log: each step of an article from one state to another, by whom and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models.text import NormalText


class ArticleTransition(NormalText, models.Model):
    """One step of an article through the workflow: who moved it, when, from where to where, and why."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="transitions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=12)
    target = models.CharField(max_length=12)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        get_latest_by = "at"

    def __str__(self):
        return f"{self.source} → {self.target}"

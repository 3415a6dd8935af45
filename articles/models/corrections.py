"""Corrections and updates: what was wrong in an article and what is right now, shown to readers beneath it."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .. import markup
from .articles import Article
from .text import NormalText


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections and updates readers can see: those of published articles (``Article.published``)."""
        return self.filter(article__in=Article.objects.published())


class Correction(NormalText, models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right now, in Markdown. Shown to readers.",
        validators=[markup.validate_source_size],
    )
    text_html = models.TextField(blank=True, editable=False)
    html_renderer = models.CharField(
        max_length=8, blank=True, editable=False, help_text="The renderer version that made text_html."
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name="dated")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.get_kind_display()} of {timezone.localtime(self.created_at):%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.text_html, self.html_renderer = markup.render_markdown(self.text), markup.RENDERER_VERSION
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#correction-{self.pk}"

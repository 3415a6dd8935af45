"""Corrections and updates: what was wrong in an article and what is right now, shown to readers beneath it."""

import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format

from articles.markup import figures, limits, markdown
from articles.models.articles import Article
from articles.models.media import Image
from articles.models.pictures import ArticleImage
from articles.models.site import site_host
from articles.models.text import NormalText, normalize_text
from pagecache.registry import PageRetiringQuerySet

logger = logging.getLogger("newsroom.workflow")


class CorrectionQuerySet(PageRetiringQuerySet):
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
        validators=[limits.validate_source_size],
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
        return f"{self.get_kind_display()} of {date_format(timezone.localtime(self.created_at), 'DATE_FORMAT')}"

    def save(self, *args, **kwargs):
        """Save, and make the article say it was updated (at the correction's date, never earlier than it
        said before), with the event logged: whoever adds the correction, the admin, a command or a script."""
        self.prepare_for_write()
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._date_the_article()
            record_pictures([self.article])
        logger.info(
            "%s: %s %s by %s",
            self.article.slug,
            self.kind,
            self.pk,
            self.created_by.get_username() if self.created_by else "nobody",
            extra={"event": "workflow", "action": "correct", "article": self.article_id,
                   "user": self.created_by_id, "correction": self.pk, "added": adding},
        )  # fmt: skip

    def prepare_for_write(self):
        """What every write of a correction makes true of its row, ``save()`` or an import's ``bulk_create``: its
        text in the form it is stored in, and rendered by this renderer."""
        normalize_text(self)
        self.text_html = markdown.render_markdown(self.text, site_host=site_host())
        self.html_renderer = markdown.RENDERER_VERSION

    def _date_the_article(self):
        article = Article.objects.select_for_update().get(pk=self.article_id)
        if article.updated_at is not None and article.updated_at >= self.created_at:
            return
        held = self.article  # the caller's copy, kept current so that its own next save is not refused as stale
        in_step = held.version == article.version
        article.updated_at = self.created_at
        article._change_reason = f"{self.get_kind_display()} #{self.pk}"
        article._history_user = self.created_by
        article.save(update_fields=["updated_at", "version", "modified_at"])
        if in_step:
            held.updated_at, held.version, held.modified_at = article.updated_at, article.version, article.modified_at

    def text_for_readers(self):
        """The text with its library pictures filled in, as readers may see them."""
        return figures.expand(self.text_html, Image.objects.shown_in(self.text_html))

    def get_absolute_url(self):
        return self.article.get_absolute_url() + f"#correction-{self.pk}"


@receiver(post_delete, sender=Correction)
def _correction_deleted(sender, instance, origin=None, **kwargs):
    """A deleted correction no longer holds the pictures it showed; deleting its article takes those rows too."""
    if getattr(origin, "model", type(origin)) is not Correction:
        return
    article = Article.objects.filter(pk=instance.article_id).only("pk", "body_html").first()
    if article is not None:
        record_pictures([article])


def record_pictures(articles):
    """Record the library pictures ``articles`` show, in their stored bodies and in their corrections
    (``ArticleImage.record``)."""
    shown = Correction.objects.filter(
        article__in=[article.pk for article in articles], text_html__contains="data-image="
    )
    corrections_html = {}
    for article_id, html in shown.values_list("article_id", "text_html"):
        corrections_html.setdefault(article_id, []).append(html)
    ArticleImage.record(articles, corrections_html)

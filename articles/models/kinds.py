"""Kinds of work (News, Analysis, Opinion, Review, Explainer, Sponsored…): what a piece is, as the desk labels
it for readers, for feeds and the API, and for search engines (schema.org's article types)."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower

from articles.models.base import unique_slug
from articles.models.text import NormalText, normalize_text, one_spaced, refuse_taken_name
from pagecache.registry import PageRetiringQuerySet


class SchemaType(models.TextChoices):
    """The schema.org types a kind of work may be published as (``NewsArticle`` and its subtypes, and
    ``AdvertiserContentArticle`` for paid content)."""

    NEWS = "NewsArticle", "NewsArticle (reporting)"
    ANALYSIS = "AnalysisNewsArticle", "AnalysisNewsArticle (analysis)"
    OPINION = "OpinionNewsArticle", "OpinionNewsArticle (opinion, columns, editorials)"
    REVIEW = "ReviewNewsArticle", "ReviewNewsArticle (reviews)"
    BACKGROUND = "BackgroundNewsArticle", "BackgroundNewsArticle (explainers, background)"
    REPORTAGE = "ReportageNewsArticle", "ReportageNewsArticle (reportage)"
    ASK_PUBLIC = "AskPublicNewsArticle", "AskPublicNewsArticle (a call for readers' information)"
    SATIRE = "SatiricalArticle", "SatiricalArticle (satire)"
    SPONSORED = "AdvertiserContentArticle", "AdvertiserContentArticle (sponsored, paid for)"


class KindOfWorkQuerySet(PageRetiringQuerySet):
    def named(self, name):
        """The kind called ``name`` (in any letter case, or by its slug), else None."""
        name = one_spaced(name or "")
        if not name:
            return None
        return (
            self.alias(folded=Lower("name")).filter(folded=Lower(Value(name))).first()
            or self.filter(slug=name.lower()).first()
        )


class KindOfWork(NormalText, models.Model):
    name = models.CharField(
        max_length=60, help_text="As readers see it on cards and article pages, and as the feeds' category."
    )
    slug = models.SlugField(
        max_length=60, unique=True, blank=True, help_text="Used in the API. Made from the name when left empty."
    )
    schema_type = models.CharField(
        max_length=40,
        choices=SchemaType.choices,
        default=SchemaType.NEWS,
        verbose_name="schema.org type",
        help_text="What search engines are told the piece is.",
    )
    sponsored = models.BooleanField(
        default=False,
        help_text="Paid for by someone other than the newsroom: labelled above the headline, and a sponsor must "
        "be named before publishing.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="What the desk means by it; shown to readers as the label's title."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Listed in this order, lowest first.")
    modified_at = models.DateTimeField(auto_now=True)

    objects = KindOfWorkQuerySet.as_manager()
    normal_forms = {"name": one_spaced}

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "kind of work"
        verbose_name_plural = "kinds of work"
        constraints = [models.UniqueConstraint(Lower("name"), name="kind_of_work_name_unique_ci")]

    def __str__(self):
        return self.name

    def clean(self):
        refuse_taken_name(self)
        if self.schema_type == SchemaType.SPONSORED and not self.sponsored:
            message = "AdvertiserContentArticle is for paid content: tick Sponsored, or choose another type."
            raise ValidationError({"schema_type": message}, code="invalid")

    def save(self, *args, **kwargs):
        normalize_text(self)
        if not self.slug:  # names differing in punctuation, or in a script slugs cannot spell, get their own
            self.slug = unique_slug(KindOfWork, self.name, exclude_pk=self.pk, max_length=60, fallback="kind",
                                    allow_unicode=False)  # fmt: skip
        if self.sponsored or self.schema_type == SchemaType.SPONSORED:  # either way, readers are told it is paid for
            self.sponsored, self.schema_type = True, SchemaType.SPONSORED
        super().save(*args, **kwargs)


class KindLabel(NamedTuple):
    """What readers are told a piece is, above its headline: ``text`` (the kind's name, or "Sponsored content ·
    Paid for by …"), ``title`` (the kind's description, as the label's tooltip) and whether it is ``sponsored``."""

    text: str
    title: str
    sponsored: bool


SPONSORED_CONTENT = "Sponsored content"


def label(kind, sponsor=""):
    """The label of a piece of ``kind`` paid for by ``sponsor``, or None for reporting (a kind published as
    ``NewsArticle``, which readers take a news site's pieces to be unless told otherwise). A sponsored kind, or
    any named sponsor, is always labelled, naming the sponsor."""
    title = kind.description if kind is not None else ""
    if (kind is not None and kind.sponsored) or sponsor:
        text = f"{SPONSORED_CONTENT} · Paid for by {sponsor}" if sponsor else SPONSORED_CONTENT
        return KindLabel(text, title, True)
    if kind is None or kind.schema_type == SchemaType.NEWS:
        return None
    return KindLabel(kind.name, title, False)

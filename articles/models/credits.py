"""An article's credits: its bylines (the ``Byline`` rows, each an author in a role) and its tags, as rows, as
readers are shown them (``BylineShown``, ``TagShown``, attached to many articles in one query), and as each
revision records them."""

import functools
from typing import NamedTuple

from django.db import connection, models
from django.db.models.query import ModelIterable
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record
from taggit.models import Tag

from articles.models.base import author_path, tag_path
from articles.models.people import Author
from articles.models.taxonomy import TaggedArticle
from articles.models.text import NormalText
from pagecache.registry import PageRetiringQuerySet


class Byline(NormalText, models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=100, blank=True, help_text="For example Reporting, Photos, Additional reporting."
    )

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")]

    def __str__(self):
        return f"{self.author} ({self.role})" if self.role else str(self.author)


class BylineShown(NamedTuple):
    """One byline as readers are shown it: the author's name and address, the role, which author it is (for
    the surrogate keys of the pages that show it) and the author's own role in the newsroom (JSON-LD's
    ``jobTitle``)."""

    name: str
    slug: str
    role: str
    author_id: int | None = None
    job_title: str = ""

    @property
    def url(self):
        return author_path(self.slug)


class TagShown(NamedTuple):
    """One tag as readers are shown it: its name and address."""

    pk: int
    name: str
    slug: str

    @property
    def url(self):
        return tag_path(self.slug)


class CreditsIterable(ModelIterable):
    """Articles with their bylines and tags shown attached (``attach_credits``)."""

    def __iter__(self):
        articles = list(super().__iter__())
        attach_credits(articles)
        yield from articles


def attach_credits(articles):
    """Give each article ``_bylines_shown`` (in order) and ``_tags_shown`` (in the order given): what
    ``Article.bylines_shown`` and ``Article.tags_shown`` then answer without a query.

    One query for both, written out: every list page and feed runs it, and building it with the ORM (two
    querysets, their joins and their compilation) cost more than the rest of a page put together.
    """
    by_pk = {article.pk: article for article in articles}
    for article in articles:
        article._bylines_shown, article._tags_shown = [], []
    if not by_pk:
        return
    ids = list(by_pk)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CREDITS_BATCH):  # one query for a page; bounded parameters for more
            batch = ids[start : start + CREDITS_BATCH]
            cursor.execute(_credits_sql() % {"ids": ", ".join(["%s"] * len(batch))}, batch + batch)
            for kind, article_id, ref, name, slug, role, job_title, _order, _pk in cursor.fetchall():
                if kind == "b":
                    by_pk[article_id]._bylines_shown.append(BylineShown(name, slug, role, ref, job_title))
                else:
                    by_pk[article_id]._tags_shown.append(TagShown(ref, name, slug))


CREDITS_BATCH = 500
_CREDITS_SQL = (
    "SELECT 'b', b.article_id, b.author_id, a.name, a.slug, b.role, a.job_title, b.position, b.id"
    " FROM {byline} b INNER JOIN {author} a ON a.id = b.author_id WHERE b.article_id IN (%(ids)s)"
    " UNION ALL SELECT 't', t.content_object_id, t.tag_id, g.name, g.slug, '', '', 0, t.id"
    " FROM {tagged} t INNER JOIN {tag} g ON g.id = t.tag_id WHERE t.content_object_id IN (%(ids)s)"
    " ORDER BY 1, 8, 9"
)


@functools.cache
def _credits_sql():
    quote = connection.ops.quote_name
    byline, author = quote(Byline._meta.db_table), quote(Author._meta.db_table)
    tagged, tag = quote(TaggedArticle._meta.db_table), quote(Tag._meta.db_table)
    # Table names come from the models; the ids are passed as parameters.
    names = {"byline": byline, "author": author, "tagged": tagged, "tag": tag}
    return _CREDITS_SQL.format_map(names)


# What each revision of an article records of its credits.


class RevisionCredits(models.Model):
    """What a revision records beyond the article's own fields: its bylines and tags as they were then (None in
    revisions made before they were recorded)."""

    history_bylines = models.JSONField(null=True, blank=True, verbose_name="bylines")
    history_tags = models.JSONField(null=True, blank=True, verbose_name="tags")

    class Meta:
        abstract = True


def credit_snapshots(pks):
    """{pk: (bylines, tags)} for many articles, as stored now, in two queries: the bylines (author id, name,
    role, in order) and the tag names, as a revision records them."""
    found = {pk: ([], []) for pk in pks}
    bylines = Byline.objects.filter(article_id__in=found).order_by("article_id", "position", "pk")
    for article, author, name, role in bylines.values_list("article_id", "author_id", "author__name", "role"):
        found[article][0].append({"author": author, "name": name, "role": role})
    for article, name in TaggedArticle.objects.filter(content_object_id__in=found).values_list(
        "content_object_id", "tag__name"
    ):
        found[article][1].append(name)
    for _bylines, tags in found.values():
        tags.sort(key=str.casefold)
    return found


def record_credits_in(revisions):
    """Write the bylines and tags as they are now into these revisions (the newest of their articles)."""
    if not revisions:
        return
    snapshots = credit_snapshots([revision.id for revision in revisions])
    for revision in revisions:
        revision.history_bylines, revision.history_tags = snapshots[revision.id]
    type(revisions[0]).objects.bulk_update(revisions, ["history_bylines", "history_tags"], batch_size=500)


@receiver(pre_create_historical_record)
def _revision_credits(sender, instance, history_instance, **kwargs):
    """Each new revision of a model whose revisions record credits (``RevisionCredits``) records them as now."""
    if isinstance(history_instance, RevisionCredits):
        history_instance.history_bylines, history_instance.history_tags = (
            credit_snapshots([instance.pk])[instance.pk] if instance.pk is not None else ([], [])
        )

"""Which library pictures each article's body and corrections show, recorded at each save."""

from django.apps import apps
from django.db import models
from django.db.models import Q

from articles.markup import figures
from articles.models.media import Image
from pagecache.registry import PageRetiringQuerySet


class ArticleImage(models.Model):
    """A library picture shown in an article's body (``![alt](image:ID)``), recorded at each save: what the
    library's "unused" filter reads, why a picture in use cannot be deleted, and how a page finds the
    pictures of its articles in one query."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="figures")
    image = models.ForeignKey("Image", on_delete=models.PROTECT, related_name="uses")

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="article_image_unique")]

    def __str__(self):
        return f"{self.image} in {self.article}"

    @classmethod
    def record(cls, articles):
        """Make the recorded pictures of ``articles`` those their stored bodies and corrections show (of those
        the library has)."""
        wanted = {article.pk: set(figures.referenced_ids(article.body_html)) for article in articles}
        Correction = apps.get_model("articles", "Correction")  # by name: corrections are built on articles
        shown = Correction.objects.filter(article_id__in=wanted, text_html__contains="data-image=")
        for article_id, html in shown.values_list("article_id", "text_html"):
            wanted[article_id] |= set(figures.referenced_ids(html))
        known = set(Image.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
        current = {}
        for article_id, image_id in cls.objects.filter(article_id__in=wanted).values_list("article_id", "image_id"):
            current.setdefault(article_id, set()).add(image_id)
        stale = Q()
        for article_id, ids in wanted.items():
            if gone := current.get(article_id, set()) - ids:
                stale |= Q(article_id=article_id, image_id__in=gone)
        if stale:
            cls.objects.filter(stale).delete()
        cls.objects.bulk_create(
            [cls(article_id=article_id, image_id=image_id)
             for article_id, ids in wanted.items() for image_id in (ids & known) - current.get(article_id, set())]
        )  # fmt: skip

    @classmethod
    def attach(cls, articles):
        """Give each article its body's pictures (``article.pictures``), in one query for those whose body may
        show some (none when every body is loaded and shows none, as most do)."""
        for article in articles:
            article._pictures = {}
        by_article = {
            article.pk: article
            for article in articles
            if article.pk is not None
            and ("body_html" in article.get_deferred_fields() or "data-image=" in article.body_html)
        }
        if not by_article:
            return
        for row in cls.objects.filter(article_id__in=by_article).select_related("image"):
            by_article[row.article_id]._pictures[row.image_id] = row.image

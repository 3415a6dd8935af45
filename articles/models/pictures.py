"""An article's pictures: which library pictures its body and corrections show (``ArticleImage``, recorded at
each save), and what readers are shown of them and of its lead image (``ArticlePictures``, a part of
``Article``)."""

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
    def record(cls, articles, corrections_html):
        """Make the recorded pictures of ``articles`` those their stored bodies and corrections show (of those
        the library has). ``corrections_html`` is {article pk: [the HTML of its corrections]}, told by the
        caller (``corrections.record_pictures`` reads it); an article missing from it has no correction."""
        wanted = {article.pk: set(figures.referenced_ids(article.body_html)) for article in articles}
        for article_id, texts in corrections_html.items():
            for html in texts:
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


class ArticlePictures:
    """What readers are shown of an article's pictures: its lead image (from the library unless its rights have
    expired, else an outside address) with its alt text, caption and credit, and its body's library pictures."""

    @property
    def body_leads_with_image(self):
        """The body opens with a picture of its own (an outside one, or the lead image from the library), so the
        page shows that one instead of a second hero."""
        html = self.body_html
        return html.startswith("<p><img ") or (
            self.lead_image_id is not None and html.startswith(f'<figure data-image="{self.lead_image_id}">')
        )

    @property
    def shown_lead_image(self):
        """The library lead image readers may be shown: None when there is none or its rights have expired."""
        if self.lead_image_id is None:
            return None
        image = self.lead_image
        return None if image.rights_expired() else image

    @property
    def image_url(self):
        """The lead image to show: the library picture first (unless its rights have expired), else the
        external URL."""
        if self.lead_image_id is not None:
            image = self.shown_lead_image
            return image.url if image is not None else ""
        return self.lead_image_url

    @property
    def lead_image_renditions(self):
        image = self.shown_lead_image
        return image.renditions if image is not None else {}

    def _lead_text(self, name):
        """The article's own alt text, caption or credit for its lead image, else the library picture's."""
        return getattr(self, f"lead_image_{name}") or (getattr(self.lead_image, name) if self.lead_image_id else "")

    lead_alt = property(lambda self: self._lead_text("alt"))
    lead_caption = property(lambda self: self._lead_text("caption"))
    lead_credit = property(lambda self: self._lead_text("credit"))

    @property
    def pictures(self):
        """The library pictures the body shows, {id: Image}: attached for many articles at once by
        ``ArticleImage.attach``, else read now."""
        if not hasattr(self, "_pictures"):
            ArticleImage.attach([self])
        return self._pictures

    @property
    def bundled_pictures(self):
        """Every library picture the article shows (its lead image, then its body's), in order, each once:
        what an export writes beside it."""
        numbers = [self.lead_image_id] if self.lead_image_id else []
        numbers = list(dict.fromkeys(numbers + figures.referenced_ids(self.body_html)))
        if not numbers:
            return []
        found = Image.objects.in_bulk(numbers)
        return [found[number] for number in numbers if number in found]

    def body_for_readers(self):
        """The stored body with its library pictures filled in, as readers may see them."""
        return figures.expand(self.body_html, self.pictures)

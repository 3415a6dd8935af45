"""Old addresses of articles, which redirect to them."""

from urllib.parse import unquote

from django.db import models
from django.urls import reverse

from articles.models.text import NormalText
from pagecache.registry import PageRetiringQuerySet


class ArticleAlias(NormalText, models.Model):
    """An old address of an article (a previous slug or an imported Hugo alias) that redirects to it."""

    path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="aliases")
    normal_forms = {"path": lambda path: path and ArticleAlias.normalize(path)}  # as the middleware looks it up

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "aliases"

    def __str__(self):
        return self.path

    @classmethod
    def path_for_slug(cls, slug):
        """The article address for ``slug``, spelled as aliases are stored."""
        return cls.normalize(reverse("articles:article", kwargs={"slug": slug}))

    @classmethod
    def owner_of_slug(cls, slug, *, exclude=None):
        """The article that the address for ``slug`` already redirects to, other than ``exclude`` (a pk)."""
        path = cls.path_for_slug(slug)
        alias = cls.objects.select_related("article").filter(path=path).exclude(article_id=exclude).first()
        return alias.article if alias else None

    @staticmethod
    def normalize(path):
        """One spelling of a path: decoded (as request.path is), with one leading and one trailing slash."""
        path = "/" + unquote(path.strip()).strip("/")
        return path if path == "/" else path + "/"

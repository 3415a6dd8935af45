from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from taggit.models import Tag

        from articles import models, signals
        from articles.desk import notify
        from articles.models import lookups, rendering  # noqa: F401 - lookups registers itself
        from pagecache import pages as cache

        for model in (models.Article, models.Author, models.Byline, models.Correction, models.TaggedArticle,
                      models.ArticleAlias, Tag, models.Section, models.SectionAlias, models.Pin, models.Banner,
                      models.SiteSettings, models.Image, models.ArticleImage):  # fmt: skip
            post_save.connect(cache.content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(cache.content_changed, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}")
        m2m_changed.connect(cache.content_changed, sender=models.Byline, dispatch_uid="page-cache-bylines")
        signals.article_assigned.connect(notify.tell_assignee, dispatch_uid="notify-assignee")
        signals.article_transitioned.connect(notify.tell_of_step, dispatch_uid="notify-step")
        signals.site_moved.connect(rendering.after_move, dispatch_uid="render-again-after-move")

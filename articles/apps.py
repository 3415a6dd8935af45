from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        import edge
        from articles import edgekeys, events, models, signals
        from articles.desk import notify
        from articles.models import lookups, rendering  # noqa: F401 - lookups registers itself
        from articles.models.taxonomy import tag_address
        from pagecache.registry import also_once, on_bulk_write, register_model, register_schedule

        # What readers see: a change to any of these rows retires the cached pages.
        for model in (models.Article, models.Author, models.Byline, models.Correction, models.TaggedArticle,
                      models.ArticleAlias, Tag, models.Section, models.SectionAlias, models.KindOfWork, models.Pin,
                      models.Banner, models.SiteSettings, models.Image, models.ArticleImage):  # fmt: skip
            register_model(model)
        # ...and which keys a change to each purges at the edge, bulk writes and batches included.
        edgekeys.register_all(models, Tag, edge.register)
        on_bulk_write(edge.bulk_written)
        also_once(edge.holding)
        # The moments at which what readers see changes by itself: no cached page outlives the next one.
        for model in (models.Article, models.Banner, models.Pin, models.Image):
            register_schedule(model, model.schedule_fields, model.objects.moments)
        signals.article_assigned.connect(notify.tell_assignee, dispatch_uid="notify-assignee")
        signals.article_transitioned.connect(notify.tell_of_step, dispatch_uid="notify-step")
        signals.site_moved.connect(rendering.after_move, dispatch_uid="render-again-after-move")
        events.connect()
        pre_save.connect(tag_address, sender=Tag, dispatch_uid="tag-address")

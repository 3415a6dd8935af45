"""WebSub: the feeds name their hubs, and the hubs are told when a feed's content changes (an article's event, a
live page's update)."""

from django.apps import AppConfig


class WebsubConfig(AppConfig):
    name = "websub"
    verbose_name = "WebSub"

    def ready(self):
        from django.db.models.signals import post_save

        from articles.signals import article_event
        from live.models import Update
        from websub import notices

        article_event.connect(notices.event_committed, dispatch_uid="websub-notices")
        post_save.connect(notices.update_saved, sender=Update, dispatch_uid="websub-live-updates")

"""WebSub: the feeds name their hubs, and the hubs are told when a feed's content changes."""

from django.apps import AppConfig


class WebsubConfig(AppConfig):
    name = "websub"
    verbose_name = "WebSub"

    def ready(self):
        from articles.signals import article_event
        from websub import notices

        article_event.connect(notices.event_committed, dispatch_uid="websub-notices")

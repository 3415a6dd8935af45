"""Webhooks: endpoints editors register are told of the articles' events, signed as Standard Webhooks."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from articles import signals
        from articles.desk import panels
        from webhooks import fanout
        from webhooks.admin import desk

        signals.article_event.connect(fanout.article_event, dispatch_uid="webhooks-fan-out")
        panels.register_desk_panel(desk.desk_panel)

"""Webhooks: endpoints editors register are told of the articles' events and of live pages' updates, signed as
Standard Webhooks."""

from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from django.db.models.signals import post_save

        from articles import signals
        from articles.desk import panels
        from live.models import Update
        from webhooks import fanout, liveupdates
        from webhooks.admin import desk

        signals.article_event.connect(fanout.article_event, dispatch_uid="webhooks-fan-out")
        post_save.connect(liveupdates.update_saved, sender=Update, dispatch_uid="webhooks-live-updates")
        panels.register_desk_panel(desk.desk_panel)

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from articles.desk import panels
        from articles.public import parts
        from live import tokens
        from live.admin import panels as live_panels
        from live.public import feeds, part

        parts.register_variant(tokens.variant)
        parts.register_part(part.article_part)
        parts.register_part(feeds.feed_links)
        panels.register_article_panel(live_panels.article_panel)
        panels.register_desk_panel(live_panels.desk_panel)

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"

    def ready(self):
        from articles.public import parts
        from live import tokens

        parts.register_variant(tokens.variant)

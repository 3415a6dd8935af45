from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "Edge caches"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from edge import checks  # noqa: F401 - registers the settings check

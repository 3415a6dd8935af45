from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        self.register_admin_panels()

    @staticmethod
    def register_admin_panels():
        """The desk's newsletters and an article's “publish and send” (``newsletters.admin``)."""
        from articles.desk import panels
        from newsletters.admin import breaking, desk

        panels.register_article_panel(breaking.article_panel)
        panels.register_desk_panel(desk.desk_panel)

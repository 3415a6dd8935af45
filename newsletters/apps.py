from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        self.register_admin_panels()
        self.register_signup_form()

    @staticmethod
    def register_admin_panels():
        """The desk's newsletters and an article's “publish and send” (``newsletters.admin``)."""
        from articles.desk import panels
        from newsletters.admin import breaking, desk

        panels.register_article_panel(breaking.article_panel)
        panels.register_desk_panel(desk.desk_panel)

    @staticmethod
    def register_signup_form():
        """The sign-up form under every article and every section's articles (``newsletters.public.offer``); a
        change to a list retires the pages that show it, in the page cache and at the edge."""
        from articles.public import parts, sectionparts
        from newsletters.public import offer

        offer.register()
        parts.register_part(offer.article_part)
        sectionparts.register_part(offer.section_part)

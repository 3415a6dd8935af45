from django.contrib import admin


class NewsroomAdminSite(admin.AdminSite):
    """The admin, named after the site (its settings) rather than "Django administration"."""

    @property
    def site_header(self):
        from articles.identity import identity

        return f"{identity().name} administration"

    @property
    def site_title(self):
        from articles.identity import identity

        return identity().name

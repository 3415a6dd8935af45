from django.urls import path, register_converter

from . import views


class UnicodeSlugConverter:
    """Like Django's "slug" converter, but letting through the Unicode slugs that titles give."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("authors/<uslug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("share/<str:signed>/", views.share, name="share"),
]

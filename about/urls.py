from django.urls import path, re_path

from about import views
from pagecache.decorators import cache_for_readers

app_name = "about"

urlpatterns = [
    path("about/", cache_for_readers(views.NewsroomPageListView.as_view()), name="index"),
    # Slugs as titles give them: letters of any script, digits, hyphens and underscores.
    re_path(r"^about/(?P<slug>[-\w]+)/$", cache_for_readers(views.NewsroomPageDetailView.as_view()), name="page"),
]

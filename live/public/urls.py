from django.urls import path

import articles.public.urls  # noqa: F401 - registers the "uslug" converter these addresses use
from live.public import views
from pagecache.decorators import reader_view

app_name = "live"
urlpatterns = [
    path("articles/<uslug:slug>/updates/<int:pk>/", reader_view(views.update_permalink), name="update"),
]

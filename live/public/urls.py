from django.urls import path

import articles.public.urls  # noqa: F401 - registers the "uslug" converter these addresses use
from live import tokens
from live.public import feeds, poll, views
from pagecache.decorators import cache_for_readers

app_name = "live"
urlpatterns = [
    path(
        "articles/<uslug:slug>/updates/<int:pk>/",
        cache_for_readers(views.update_permalink, variant=tokens.variant),
        name="update",
    ),
    path(
        "articles/<uslug:slug>/live/updates.json",
        cache_for_readers(poll.updates, variant=tokens.variant),
        name="poll",
    ),
    *feeds.feed_urls(),
]

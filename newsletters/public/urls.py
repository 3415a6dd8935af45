from django.urls import path

from newsletters.public import links, preferences, views
from pagecache.decorators import cache_for_readers

app_name = "newsletters"

urlpatterns = [
    path("newsletters/", cache_for_readers(views.index), name="index"),
    path("newsletters/subscribe/", views.subscribe, name="subscribe"),
    path("newsletters/link/", views.new_link, name="link"),
    path("newsletters/confirm/<str:token>/", links.confirm, name="confirm"),
    path("newsletters/preferences/<str:token>/", preferences.preferences, name="preferences"),
    path("newsletters/unsubscribe/<str:token>/", links.unsubscribe, name="unsubscribe"),
]

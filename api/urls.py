"""The content API's addresses, under /api/v1/ (``newsroom.urls``)."""

urlpatterns = []

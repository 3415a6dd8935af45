"""The change form's heartbeat: who else has an article open, and who holds it (``articles.desk.presence``)."""

from datetime import UTC, datetime

from django.http import JsonResponse
from django.utils import timezone

from articles.admin import throttle
from articles.admin.views import ArticleAdminView
from articles.desk import presence


class HeartbeatView(ArticleAdminView):
    """Counted per person before anything is read, so a flood costs one cache call a request. Leaving is not
    counted: it only takes the sender's own entries away (no read, nothing to protect), and a refused one would
    keep the article held for minutes after its form closed."""

    def post(self, request, pk):
        if request.POST.get("leave"):
            presence.leave(pk, request.user)
            return JsonResponse({"left": True})
        if wait := throttle.retry_after("heartbeat", request.user.pk, limit=presence.BEATS_PER_MINUTE, period=60):
            return throttle.retry_later(f"Too many heartbeats; the next is answered in {wait} s.", wait)
        self.editable_article(request, pk)
        state = presence.beat(pk, request.user, take_over=bool(request.POST.get("take_over")))
        state["holder"] = with_time(state["holder"])
        state["others"] = [with_time(person) for person in state["others"]]
        if state["taken_over"]:
            state["taken_over"] = with_time(state["taken_over"], "at")
        return JsonResponse(state)


def with_time(entry, name="since"):
    """A presence entry with its time as the desk reads it (the site's zone, active in the admin)."""
    if not entry:
        return entry
    moment = timezone.localtime(datetime.fromtimestamp(entry[name], tz=UTC))
    return {**entry, f"{name}_text": f"{moment:%H:%M}"}

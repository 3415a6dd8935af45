"""The webhooks on the desk (registered by ``webhooks.apps``): the endpoints turned off after repeated failures,
why, and how many deliveries to them were given up, for those who may turn them on again."""

from django.db.models import Count, Q

from webhooks.models import Delivery, Endpoint

SHOWN = 8


def desk_panel(request):
    if not request.user.has_perm("webhooks.change_endpoint"):
        return None
    given_up = Count("deliveries", filter=Q(deliveries__status=Delivery.Status.GIVEN_UP))
    disabled = list(
        Endpoint.objects.filter(active=False, disabled_at__isnull=False)
        .annotate(given_up=given_up)
        .order_by("-disabled_at", "pk")[:SHOWN]
    )
    if not disabled:
        return None
    return {"template": "admin/webhooks/_desk_panel.html", "disabled": disabled}

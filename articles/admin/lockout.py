"""Sign-in lockouts that stop guessing without letting a stranger lock the chief editor out.

django-axes counts failures per (user name, address) pair: five wrong passwords for one account from one
address lock that pair. A second, much higher limit per address (``NEWSROOM_LOGIN_ADDRESS_FAILURE_LIMIT``)
stops one address from guessing across many accounts, while an office behind one NAT can still sign in.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


class NewsroomAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        """The pair's failures, or the failure limit once the address has failed too often over all names."""
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.NEWSROOM_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request):
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
        failures = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )
        return failures["total"] or 0


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, saying until when (in the site's time zone) sign-in is locked."""
    from axes.helpers import get_client_username, get_cool_off

    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    latest = (
        attempts.filter(username=username).order_by("-attempt_time").first()
        or attempts.order_by("-attempt_time").first()
    )
    cool_off = get_cool_off(request)
    until = None
    if latest is not None and cool_off:
        until = timezone.localtime(latest.attempt_time + cool_off)  # the site's zone (SiteTimeZoneMiddleware)
    context = {"username": username, "cooloff_timedelta": cool_off, "locked_until": until}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)

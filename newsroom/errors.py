"""The site's own page for a refused form (a missing or stale CSRF token), rendered like the other error pages."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)

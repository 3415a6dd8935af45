"""The pages the signed links in e-mails open (``newsletters.tokens``): confirming a sign-up, unsubscribing,
and (``preferences``) one's lists and data. The token in the address is the credential, as a password would
be: the pages say nothing about an address to anyone without its link, are never cached, never indexed and
never send the address on in a Referer.

Their forms are exempt from the CSRF check: a forged request would need the token, which only the address's
owner has, and RFC 8058's one-click unsubscribe is a POST from the mail provider, with no session or cookie.
What a GET shows changes nothing: mail scanners open links, and must not confirm or unsubscribe anyone.
"""

from contextlib import suppress
from functools import wraps

from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from newsletters import signup, tokens
from newsletters.models import Subscription
from newsletters.public.forms import AddressForm

METHODS = ("GET", "HEAD", "POST")


def private(response):
    """The headers of every page a link opens (and of its refusals): not kept, not indexed, no Referer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def bad_link(request, error):
    """A link that opens nothing: an expired one says so and offers a new one (410); any other is not valid
    (400)."""
    context = {"message": str(error), "expired": error.expired, "link_form": AddressForm(prefix="link"),
               "noindex": True}  # fmt: skip
    return render(request, "newsletters/bad_link.html", context, status=410 if error.expired else 400)


def opened_by(purpose):
    """The view of a page a link of ``purpose`` opens, called with the link's subscriber and the token; a
        link that opens nothing gets ``bad_link``; methods other than GET, HEAD and POST a 405. A POST whose body
    cannot be parsed (a broken multipart form) is a POST with an empty form: it still unsubscribes."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, token):
            if request.method not in METHODS:
                response = render(request, "405.html", {"allowed": "GET or POST"}, status=405)
                response["Allow"] = ", ".join(METHODS)
                return private(response)
            try:
                subscriber = tokens.read(token, purpose)
            except tokens.BadLink as error:
                return private(bad_link(request, error))
            if request.method == "POST":
                with suppress(MultiPartParserError):
                    request.POST  # noqa: B018 - a body Django cannot parse is read as an empty form from here on
            return private(view(request, subscriber, token))

        return csrf_exempt(wrapped)

    return decorate


def _names(subscriber, status):
    found = subscriber.subscriptions.filter(status=status).select_related("newsletter")
    return [s.newsletter.name for s in found.order_by("newsletter__position", "newsletter__name")]


@opened_by(tokens.CONFIRM)
def confirm(request, subscriber, token):
    """GET: the lists waiting and a Confirm button. POST: ``signup.confirm``, then which lists it confirmed."""
    preferences = tokens.make(subscriber, tokens.PREFERENCES)
    if request.method != "POST":
        waiting = _names(subscriber, Subscription.Status.PENDING)
        context = {"waiting": waiting, "token": token, "preferences": preferences, "noindex": True}
        return render(request, "newsletters/confirm.html", context)
    confirmed = [newsletter.name for newsletter in signup.confirm(subscriber)]
    context = {"confirmed": confirmed, "active": _names(subscriber, Subscription.Status.ACTIVE),
               "preferences": preferences, "noindex": True}  # fmt: skip
    return render(request, "newsletters/confirmed.html", context)


@opened_by(tokens.UNSUBSCRIBE)
def unsubscribe(request, subscriber, token):
    """GET: one button. POST (the button, or a mail provider's ``List-Unsubscribe=One-Click``): off every
    list, at once, however often it is sent."""
    if request.method != "POST":
        context = {"token": token, "subscriber": subscriber, "noindex": True}
        return render(request, "newsletters/unsubscribe.html", context)
    how = "one-click" if request.POST.get("List-Unsubscribe") == "One-Click" else "link"
    signup.unsubscribe(subscriber, how=how)
    preferences = tokens.make(subscriber, tokens.PREFERENCES)
    return render(request, "newsletters/unsubscribed.html", {"preferences": preferences, "noindex": True})

"""A subscriber's preferences page, opened by the signed link in every e-mail (``links.opened_by``): the lists,
the format and a pause (``signup.choose``), unsubscribing from everything, a copy of one's data as JSON
(``signup.export``) and its deletion after a second step (``signup.erase``). Each is a POST naming its
``action``; a GET changes nothing."""

import json

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from newsletters import signup, tokens
from newsletters.models import Newsletter, Subscription
from newsletters.public.forms import KEEP, PreferencesForm
from newsletters.public.links import opened_by

ON = (Subscription.Status.ACTIVE, Subscription.Status.PENDING)


def _lists(subscriber):
    """The lists offered: the open ones, and any the address is on or waits for (closed or not)."""
    mine = Q(subscriptions__subscriber=subscriber, subscriptions__status__in=ON)
    return list((Newsletter.objects.open() | Newsletter.objects.filter(mine)).distinct())


def _initial(subscriber):
    active = subscriber.subscriptions.filter(status=Subscription.Status.ACTIVE).values_list("newsletter_id", flat=True)
    paused = subscriber.paused_until is not None and subscriber.paused_until > timezone.now()
    return {"list": [str(pk) for pk in active], "format": subscriber.format, "pause": KEEP if paused else ""}


def _page(request, subscriber, token, form=None, said="", status=200):
    form = form or PreferencesForm(subscriber, _lists(subscriber), initial=_initial(subscriber))
    waiting = subscriber.subscriptions.filter(status=Subscription.Status.PENDING)
    pending = set(waiting.values_list("newsletter_id", flat=True))
    chosen = set(form["list"].value() or ())
    context = {"subscriber": subscriber, "form": form, "token": token, "said": said, "pending": pending,
               "chosen": {str(value) for value in chosen}, "noindex": True}  # fmt: skip
    return render(request, "newsletters/preferences.html", context, status=status)


def _export(subscriber):
    response = HttpResponse(json.dumps(signup.export(subscriber), indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    return response


@opened_by(tokens.PREFERENCES)
def preferences(request, subscriber, token):
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "save":
        form = PreferencesForm(subscriber, _lists(subscriber), request.POST)
        if not form.is_valid():
            return _page(request, subscriber, token, form, status=400)
        subscriber = signup.choose(subscriber, form.chosen(), format=form.cleaned_data["format"],
                                   paused_until=form.paused_until())  # fmt: skip
        return _page(request, subscriber, token, said="Your choices are saved.")
    if action == "unsubscribe":
        subscriber = signup.unsubscribe(subscriber, how="preferences")
        return _page(request, subscriber, token, said="You are unsubscribed from every newsletter.")
    if action == "export":
        return _export(subscriber)
    if action == "erase":
        return render(request, "newsletters/erase.html", {"token": token, "noindex": True})
    if action == "erase-confirmed":
        signup.erase(subscriber)
        return render(request, "newsletters/erased.html", {"noindex": True})
    return _page(request, subscriber, token, status=400 if request.method == "POST" else 200)

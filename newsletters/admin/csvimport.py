"""Subscribers from a CSV file: ``email``, ``lists`` (slugs separated by spaces or ``;``), and optionally
``consent`` (yes/no) and ``consented_at``.

Every row is checked before anything is written; a file with any bad row is refused whole, each bad row named by
its line and reason, and a good file is written in one transaction. An address already known is updated, never
added twice. Without consent an address waits for its confirmation (asked for as the sign-up form does, once
the import is committed); with consent and its time it is subscribed at once and the consent recorded as the
import's. Neither ever brings back an address that bounced, nor, without a consent given after it left, one
that unsubscribed."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from newsletters import signup
from newsletters.models import Newsletter, Subscriber, SubscriberEvent, Subscription
from newsletters.signup import CONFIRM
from newsroom import jobs

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000  # written within the request: 100,000 took longer than a web worker may
MAX_ERRORS = 200  # bad rows named; the rest counted
BATCH = 1000
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


class BadFile(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Row:
    line: int
    email: str
    lists: list
    consented_at: object = None  # a datetime when the row carries consent


@dataclass
class Outcome:
    errors: list = field(default_factory=list)  # (line, reason)
    more_errors: int = 0
    added: int = 0
    updated: int = 0
    asked: int = 0  # addresses sent a confirmation
    consented: int = 0
    kept: list = field(default_factory=list)  # (line, why the address was left as it was)

    def error(self, line, reason):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, reason))
        else:
            self.more_errors += 1


def text_of(upload):
    if upload.size > MAX_BYTES:
        raise BadFile(f"The file is {upload.size / 1048576:.1f} MB; an import takes at most 10 MB (split it).")
    data = upload.read()
    if b"\0" in data:
        raise BadFile("That is not a CSV file (it holds binary data): save the sheet as “CSV UTF-8”.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            f"The file is not UTF-8 text (byte {error.start + 1} is not): save it as “CSV UTF-8” and try again."
        ) from None


def reader(text):
    """A csv.DictReader over ``text`` with the delimiter its first line uses, its columns' names in lower case."""
    first = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        names = [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter), [])]
        if "email" in names:
            break
    else:
        shown = first[:80] or "(an empty line)"
        raise BadFile(f"The first line must name the columns, among them “email” and “lists”; it is: {shown}")
    if "lists" not in names:
        raise BadFile("The file has no “lists” column: name each address's lists by their slugs.")
    return csv.DictReader(io.StringIO(text, newline=""), fieldnames=names, delimiter=delimiter, restkey="_extra")


def when(value, zone):
    value = value.strip()
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime(day.year, day.month, day.day)
    if moment is None:
        raise ValueError
    return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment


def parse(upload, outcome, zone):
    """The good rows of ``upload``; each bad one is added to ``outcome.errors``."""
    text = text_of(upload)
    try:
        rows = reader(text)
        next(rows)  # the header
        known = {n.slug: n for n in Newsletter.objects.all()}
        seen, good, now = {}, [], timezone.now()
        for record in rows:
            line = rows.line_num
            if len(good) + len(outcome.errors) + outcome.more_errors >= MAX_ROWS:
                raise BadFile(f"The file has more than {MAX_ROWS:,} rows: split it.")
            if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
                continue
            try:
                address = signup.normalise(record.get("email") or "")
            except signup.BadAddress as error:
                outcome.error(line, f"{record.get('email') or '(no address)'}: {error}")
                continue
            slugs = [s for s in (record.get("lists") or "").replace(";", " ").split() if s]
            unknown = [s for s in slugs if s not in known]
            consent = (record.get("consent") or "").strip().lower()
            if not slugs:
                outcome.error(line, f"{address}: no list named (the “lists” column is empty).")
            elif unknown:
                outcome.error(line, f"{address}: no list has the slug {', '.join(unknown)}.")
            elif consent not in YES | NO:
                outcome.error(line, f"{address}: consent is “{consent}”; write yes or no.")
            elif address.lower() in seen:
                outcome.error(line, f"{address} is also on line {seen[address.lower()]}.")
            else:
                row = Row(line, address, [known[s] for s in dict.fromkeys(slugs)])
                if consent in YES:
                    try:
                        row.consented_at = when(record.get("consented_at") or "", zone)
                    except ValueError:
                        outcome.error(line, f"{address}: consent yes needs its time in consented_at, "
                                            "as 2026-03-01 or 2026-03-01 09:30.")  # fmt: skip
                        continue
                    if row.consented_at > now:
                        outcome.error(line, f"{address}: consented_at is in the future.")
                        continue
                seen[address.lower()] = line
                good.append(row)
    except csv.Error as error:
        raise BadFile(f"The file is not CSV that can be read (line {rows.line_num}: {error}).") from None
    return good


def run(upload, user, zone):
    """Import ``upload`` as ``user``; the Outcome says what was done, or which rows are bad (then nothing was)."""
    outcome = Outcome()
    rows = parse(upload, outcome, zone)
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            write(rows, user, outcome)
    except IntegrityError:
        outcome.error(0, "An address in the file signed up while it was imported: import the file again.")
    return outcome


def _existing(rows):
    found = {}
    addresses = [row.email.lower() for row in rows]
    for start in range(0, len(addresses), BATCH):
        chunk = addresses[start : start + BATCH]
        for subscriber in Subscriber.objects.annotate(lower=Lower("email")).filter(lower__in=chunk):
            found[subscriber.lower] = subscriber
    return found


def write(rows, user, outcome):
    source = f"import by {user.get_username()}"[: signup.SOURCE_LENGTH]
    now = timezone.now()
    known = _existing(rows)
    new = []
    for row in rows:
        if row.email.lower() not in known:
            subscriber = Subscriber(email=row.email, source=source, created_at=now)
            known[row.email.lower()] = subscriber
            new.append(subscriber)
    Subscriber.objects.bulk_create(new, batch_size=BATCH)
    outcome.added, outcome.updated = len(new), len(rows) - len(new)
    subscriptions = {}
    pks = [s.pk for s in known.values()]
    for start in range(0, len(pks), BATCH):
        for s in Subscription.objects.filter(subscriber__in=pks[start : start + BATCH]):
            subscriptions[s.subscriber_id, s.newsletter_id] = s
    changed_subscribers, made, changed, events, ask = {}, [], {}, [], []
    for row in rows:
        subscriber = known[row.email.lower()]
        consent = row.consented_at
        if subscriber.status == Subscriber.Status.BOUNCED:
            outcome.kept.append((row.line, f"{row.email} bounced: an import does not bring it back."))
            continue
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED and (
            consent is None or (subscriber.unsubscribed_at and consent <= subscriber.unsubscribed_at)
        ):
            outcome.kept.append((row.line, f"{row.email} unsubscribed: only a consent given since brings it back."))
            continue
        waiting = False
        for newsletter in row.lists:
            subscription = subscriptions.get((subscriber.pk, newsletter.pk))
            active = subscription is not None and subscription.status == Subscription.Status.ACTIVE
            if active and subscriber.status == Subscriber.Status.ACTIVE:
                continue
            if subscription is not None and subscription.status == Subscription.Status.UNSUBSCRIBED:
                left = subscription.unsubscribed_at
                if consent is None or (left is not None and consent <= left):
                    outcome.kept.append((row.line, f"{row.email} left {newsletter.name}: only a consent given since "
                                                   "brings it back."))  # fmt: skip
                    continue
            if subscription is None:
                subscription = Subscription(subscriber=subscriber, newsletter=newsletter)
                made.append(subscription)
            else:
                changed[subscriber.pk, newsletter.pk] = subscription
            subscription.requested_at, subscription.source = now, source
            if consent is not None:
                subscription.status, subscription.consented_at = Subscription.Status.ACTIVE, consent
                subscription.unsubscribed_at = None
                events.append(SubscriberEvent(subscriber=subscriber, kind="confirmed", newsletter=newsletter, at=now,
                                              detail=f"{source}: consent given {consent.isoformat()}"))  # fmt: skip
            else:
                subscription.status = Subscription.Status.PENDING
                events.append(SubscriberEvent(subscriber=subscriber, kind="asked", newsletter=newsletter, at=now,
                                              detail=source))  # fmt: skip
                waiting = True
        if consent is not None and subscriber.status != Subscriber.Status.ACTIVE:
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = subscriber.confirmed_at or consent
            subscriber.unsubscribed_at = None
            changed_subscribers[subscriber.pk] = subscriber
            outcome.consented += 1
        elif consent is not None:
            outcome.consented += 1
        if waiting:
            ask.append(subscriber.pk)
    Subscriber.objects.bulk_update(list(changed_subscribers.values()), ["status", "confirmed_at", "unsubscribed_at"],
                                   batch_size=BATCH)  # fmt: skip
    Subscription.objects.bulk_create(made, batch_size=BATCH)
    fields = ["status", "requested_at", "source", "consented_at", "unsubscribed_at"]
    Subscription.objects.bulk_update(list(changed.values()), fields, batch_size=BATCH)
    SubscriberEvent.objects.bulk_create(events, batch_size=BATCH)
    for pk in ask:
        jobs.after_commit("newsletters.tasks.notice", pk, CONFIRM)
    outcome.asked = len(ask)

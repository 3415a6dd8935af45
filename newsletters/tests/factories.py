import itertools

from django.utils import timezone

from newsletters.models import Edition, EditionArticle, Newsletter, Subscriber, Subscription

_counter = itertools.count(1)


def make_newsletter(name=None, **fields):
    n = next(_counter)
    name = name or f"Briefing {n}"
    fields.setdefault("slug", f"briefing-{n}")
    return Newsletter.objects.create(name=name, **fields)


def make_subscriber(newsletter=None, email=None, *, status=Subscriber.Status.ACTIVE, **fields):
    """An address, confirmed and on ``newsletter`` unless told otherwise."""
    email = email or f"reader{next(_counter)}@example.com"
    now = timezone.now()
    confirmed = status == Subscriber.Status.ACTIVE
    subscriber = Subscriber.objects.create(email=email, status=status, confirmed_at=now if confirmed else None,
                                           **fields)  # fmt: skip
    if newsletter is not None:
        Subscription.objects.create(
            subscriber=subscriber, newsletter=newsletter, source="/newsletters/",
            status=Subscription.Status.ACTIVE if confirmed else Subscription.Status.PENDING,
            consented_at=now if confirmed else None,
        )  # fmt: skip
    return subscriber


def make_subscribers(newsletter, count, *, chunk=10_000):
    """``count`` confirmed subscribers of ``newsletter``, written in bulk ``chunk`` at a time; their addresses."""
    now, addresses = timezone.now(), []
    for start in range(0, count, chunk):
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@example.com", status=Subscriber.Status.ACTIVE, confirmed_at=now)
            for n in range(start, min(count, start + chunk))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=subscriber, newsletter=newsletter, source="/newsletters/", consented_at=now,
                         status=Subscription.Status.ACTIVE)
            for subscriber in made
        )  # fmt: skip
        addresses += [subscriber.email for subscriber in made]
    return addresses


def send_now(edition):
    """Send ``edition`` to the end in this process (no worker): queued, started, and its senders run."""
    from newsletters import delivery, sending

    sending.queue(edition)
    sending.start(edition.pk)
    while delivery.Sender(edition.pk).run():
        pass
    edition.refresh_from_db()
    return edition


def make_edition(newsletter, articles=(), **fields):
    fields.setdefault("subject", "Your morning briefing")
    edition = Edition.objects.create(newsletter=newsletter, **fields)
    for position, article in enumerate(articles):
        EditionArticle.objects.create(edition=edition, article=article, position=position)
    return edition

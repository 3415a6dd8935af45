"""Sending under the races a real desk meets: other e-mail backends than SMTP, a lease that ran out while a slow
server was mid-message and another sender took the delivery, and the sweep."""


import pytest
from django.core import mail

from articles.tests.factories import make_article
from newsletters import delivery, sending
from newsletters.models import Delivery, Edition
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber

pytestmark = pytest.mark.django_db


def started(newsletter, readers=1):
    subscribers = [make_subscriber(newsletter) for _ in range(readers)]
    edition = make_edition(newsletter, [make_article()])
    sending.queue(edition)
    sending.start(edition.pk)
    return edition, subscribers


@pytest.mark.parametrize(
    "backend", ["django.core.mail.backends.locmem.EmailBackend", "django.core.mail.backends.console.EmailBackend"]
)
def test_a_send_through_another_backend_than_smtp(settings, backend):
    settings.EMAIL_BACKEND = backend
    edition, readers = started(make_newsletter(), readers=3)
    while delivery.Sender(edition.pk).run():
        pass
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert sending.progress(edition)[Delivery.Status.SENT] == 3
    if "locmem" in backend:
        assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)


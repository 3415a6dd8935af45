import pytest

from webhooks.models import Endpoint, Kind
from webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver(settings):
    """A real HTTP receiver on 127.0.0.1, which webhooks are allowed to reach for the test."""
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    started = Receiver()
    yield started
    started.stop()


@pytest.fixture
def endpoint(receiver, db):
    """An active endpoint at the receiver, subscribed to every kind of event."""
    made = Endpoint.objects.create(
        url=receiver.url, description="Partner app", events=[kind for kind, _ in Kind.subscribable()]
    )
    receiver.secret = made.secret
    return made

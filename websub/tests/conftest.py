import pytest

from websub.tests.hubs import Hub


@pytest.fixture
def hub(settings):
    """A real hub on loopback (``websub.tests.hubs``), the only one the site names."""
    running = Hub()
    running.start()
    settings.NEWSROOM_WEBSUB_HUBS = [running.url]
    yield running
    running.stop()

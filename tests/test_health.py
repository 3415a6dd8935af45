import pytest


def test_healthz_touches_nothing(client):
    """No database mark: any query here would fail the test."""
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_stays_ready_with_a_degraded_cache(client, settings):
    """A cache that keeps nothing degrades the site; the load balancer must keep sending it readers."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "degraded: not answering"}

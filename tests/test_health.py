import pytest
from django.db import connection


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
def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError" and response.json()["ready"] is False


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_fails(client, settings):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["cache"] == "error: value not kept"

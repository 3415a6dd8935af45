import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never to the development media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(settings):
    """Each test has its own empty in-process cache (the test process is the only server)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()

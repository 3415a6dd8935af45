import pytest
from django.contrib.auth.models import Group, User

from articles.models import Author


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never to the development media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(settings):
    """Each test has its own empty in-process cache (the test process is the only server)."""
    from django.core.cache import cache, caches

    from articles import cache as page_cache
    from articles import fragments

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-shared"},
        "recent": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-recent"},
    }
    cache.clear()
    caches["recent"].clear()
    fragments.LOCAL.clear()
    page_cache._HELD.clear()
    yield
    cache.clear()
    fragments.LOCAL.clear()


def _staff(username, group):
    user = User.objects.create_user(username, password="pw-not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer(db):
    user = _staff("wendy", "Writer")
    Author.objects.create(name="Wendy Writer", user=user)
    return user


@pytest.fixture
def other_writer(db):
    return _staff("oscar", "Writer")


@pytest.fixture
def editor(db):
    return _staff("eddie", "Editor")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login

"""The site's settings, read one way (``SiteSettings.current()``): once per process and generation, with the
environment's defaults while the database does not answer; the site's time zone and absolute addresses from them."""

import zoneinfo

import pytest
from django.db import DatabaseError
from django.utils import timezone

from articles.models import SiteSettings, site_host, site_today

pytestmark = pytest.mark.django_db


def test_the_settings_are_read_once_per_generation(django_assert_num_queries):
    """A second read in the same generation asks the database nothing; a save is seen by the next read."""
    assert SiteSettings.current().name == "Newsroom"
    with django_assert_num_queries(0):
        assert SiteSettings.current().name == "Newsroom"
    site = SiteSettings.load()
    site.name = "The Gazette"
    site.save()
    assert SiteSettings.current().name == "The Gazette"


def test_the_environments_defaults_stand_in_while_the_database_does_not_answer(monkeypatch):
    """With the database down, the settings are the environment's, and so are the zone and the address."""

    def refuse(cls):
        raise DatabaseError("the database does not answer")

    monkeypatch.setattr(SiteSettings, "load", classmethod(refuse))
    site = SiteSettings.current()
    assert (site.name, site.public_url) == ("Newsroom", "http://127.0.0.1:8000")
    assert site.zone == timezone.get_default_timezone()
    assert site_host() == "127.0.0.1"


def test_the_last_known_settings_need_no_query(django_assert_num_queries):
    """Before any read the last known settings are the environment's; after one, those read."""
    with django_assert_num_queries(0):
        assert SiteSettings.last_known().name == "Newsroom"
    site = SiteSettings.load()
    site.name = "The Gazette"
    site.save()
    SiteSettings.current()
    with django_assert_num_queries(0):
        assert SiteSettings.last_known().name == "The Gazette"


def test_the_zone_is_the_settings_else_the_projects_default():
    """The zone named in the settings, today there included; an unknown name gives the project's default."""
    site = SiteSettings.load()
    site.time_zone = "Pacific/Kiritimati"
    site.save()
    kiritimati = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    assert SiteSettings.current().zone == kiritimati == SiteSettings.stored_zone()
    assert site_today() == timezone.localdate(timezone=kiritimati)
    assert SiteSettings(time_zone="Mars/Olympus").zone == timezone.get_default_timezone()


def test_absolute_addresses_are_on_the_public_address():
    """A path is put on the site's public address; an address that is already absolute, or none, is kept."""
    site = SiteSettings(public_url="https://news.example.org")
    assert site.absolute("/articles/harbour/") == "https://news.example.org/articles/harbour/"
    assert site.absolute("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert site.absolute("") == ""
    assert SiteSettings(public_url="https://news.example.org/").absolute("/a/") == "https://news.example.org/a/"

"""Rate limits of the content API: per key and per address (an IPv6 /64 as one), 429 with a Retry-After that
names the end of the minute, counted in the shared cache; while Redis is down, every call is answered."""

import logging
import time

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from api import access
from api.tests.key_factories import bearer, make_key

pytestmark = pytest.mark.django_db


def call(address="203.0.113.7", **headers):
    return access.check(RequestFactory().get("/api/v1/articles/", REMOTE_ADDR=address, **headers))


def refusal(address="203.0.113.7", **headers):
    with pytest.raises(access.Refused) as refused:
        call(address, **headers)
    return refused.value


@pytest.fixture
def limits(settings):
    settings.NEWSROOM_API_ANONYMOUS_PER_MINUTE = 3
    settings.NEWSROOM_API_KEY_PER_MINUTE = 5
    return settings


def at(second):
    """A moment ``second`` seconds into a minute."""
    return timezone.now().replace(second=second, microsecond=0)


def test_an_address_without_a_key_is_refused_after_its_limit_until_the_minute_ends(limits):
    with time_machine.travel(at(15), tick=False):
        for _ in range(3):
            call()
        refused = refusal()
        assert refused.status == 429 and refused.headers["Retry-After"] == "45"
        assert "without an API key" in refused.message and "45 s" in refused.message
        call("203.0.113.8")  # another address has its own count
    with time_machine.travel(at(15).replace(minute=(at(15).minute + 1) % 60), tick=False):
        call()


def test_an_ipv6_64_is_counted_as_one_address(limits):
    with time_machine.travel(at(50), tick=False):
        for host in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"):
            call(host)
        assert refusal("2001:db8:1:2:aaaa::9").headers["Retry-After"] == "10"
        call("2001:db8:1:3::1")


def test_a_key_is_counted_by_itself_wherever_it_calls_from(limits):
    key, full = make_key()
    _, other = make_key("Other")
    with time_machine.travel(at(0), tick=False):
        for number in range(5):
            call(f"198.51.100.{number}", **bearer(full))
        refused = refusal("198.51.100.99", **bearer(full))
        assert refused.status == 429 and refused.headers["Retry-After"] == "60"
        assert "this API key" in refused.message
        call(**bearer(other))
        for _ in range(3):
            call()  # the address's anonymous count is apart from the keys'


def test_keys_this_site_did_not_issue_or_revoked_count_against_their_address(client, limits):
    """A made-up, revoked or malformed key is refused (401) and counted as a call from its address: past the
    address's limit it gets a 429, so trying keys costs the site no more than calling without one."""
    _, revoked = make_key(revoked=True)
    keys = ["nr_0123456789ab_" + "A" * 43, revoked, "Basic x", "nr_0123456789ab_" + "B" * 43]
    with time_machine.travel(at(10), tick=False):
        statuses = [client.get("/api/v1/articles", headers={"Authorization": key if " " in key else f"Bearer {key}"},
                               REMOTE_ADDR="203.0.113.9").status_code for key in keys]  # fmt: skip
    assert statuses == [401, 401, 401, 429]


def test_a_limit_of_zero_is_no_limit(limits):
    limits.NEWSROOM_API_ANONYMOUS_PER_MINUTE = 0
    for _ in range(20):
        call()


def test_while_redis_is_down_every_call_is_answered_and_the_outage_logged(redis_cache, limits, caplog):
    key, full = make_key()
    for _ in range(3):
        call()
    assert refusal().status == 429
    assert redis_cache.keys("*throttle:api-address*")
    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(10):
            assert call() == access.Caller()
            assert call(**bearer(full)).key == key
    assert any("cache unavailable" in record.getMessage() for record in caplog.records)
    redis_cache.start()
    time.sleep(0.35)  # past the cache's retry interval: the next call asks Redis again
    with pytest.raises(access.Refused) as refused:
        for _ in range(4):
            call()
    assert refused.value.status == 429

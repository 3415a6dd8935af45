"""Surrogate keys as the infrastructure handles them: collected around a render, nested, and kept with the
values ``pagecache.memo`` remembers so that every later use tags them again."""

import pytest
from django.http import HttpResponse

from pagecache import keys, local, memo

pytestmark = pytest.mark.django_db  # the memo reads the schedule of the next change


def test_tagging_outside_a_collection_does_nothing():
    keys.tag("a1")  # a management command, a signed-in page: no error, nothing kept
    with keys.collect() as found:
        pass
    assert found == set()


def test_a_collection_gathers_and_hands_its_keys_to_the_one_around_it():
    with keys.collect() as page:
        keys.tag("site")
        with keys.collect() as inner:
            keys.tag("a1", "s2")
        keys.tag("a1")
    assert inner == {"a1", "s2"}
    assert page == {"site", "a1", "s2"}


def test_the_header_is_sorted_and_absent_when_nothing_was_tagged_or_no_edge_is_purged(settings):
    settings.NEWSROOM_EDGE_PURGE_URLS = ["http://127.0.0.1:6081/"]
    assert keys.label(HttpResponse(), {"s2", "a10", "a1"})["xkey"] == "a1 a10 s2"
    assert not keys.label(HttpResponse(), set()).has_header("xkey")
    settings.NEWSROOM_EDGE_PURGE_URLS = []
    assert not keys.label(HttpResponse(), {"s2"}).has_header("xkey")


def computed(name, value, tagged):
    """A compute function that counts its calls and tags ``tagged``."""
    calls = []

    def compute():
        calls.append(name)
        keys.tag(*tagged)
        return value

    return compute, calls


def test_a_remembered_value_tags_its_keys_on_every_later_use():
    compute, calls = computed("layout", {"lead": 1}, ["home", "sl3"])
    with keys.collect() as first:
        assert memo.remember("layout", compute) == {"lead": 1}
    with keys.collect() as second:
        assert memo.remember("layout", compute) == {"lead": 1}
    assert calls == ["layout"]  # worked out once
    assert first == second == {"home", "sl3"}


def test_a_value_held_in_this_process_tags_its_keys_too():
    compute, calls = computed("navigation", ["Politics"], ["nav"])
    with keys.collect() as first:
        memo.per_process("navigation", compute)
    with keys.collect() as held:  # from this process's memory, no cache call
        memo.per_process("navigation", compute)
    local.HELD.clear()  # another process: found in the shared cache
    with keys.collect() as shared:
        memo.per_process("navigation", compute)
    assert calls == ["navigation"]
    assert first == held == shared == {"nav"}


def test_a_remembered_value_used_inside_another_counts_for_both():
    inner, _ = computed("months", [3], ["latest"])

    def outer():
        keys.tag("home")
        return memo.remember("months", inner)

    memo.remember("months", inner)  # known before the outer value is worked out
    with keys.collect() as page:
        memo.remember("front", outer)
    with keys.collect() as again:
        memo.remember("front", outer)
    assert page == again == {"home", "latest"}

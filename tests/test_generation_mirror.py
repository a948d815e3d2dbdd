"""With Redis as the shared cache, each worker hears every change to the glossary on a Redis
subscription: a page a worker keeps costs no database query and no Redis round trip, and a
change still shows at once."""

import logging

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from terms import generation_mirror
from terms.models import Concept, GlossaryState

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "terms.rediscache.RedisCache",  # as settings.py has it
            "LOCATION": redis_url,
            "KEY_PREFIX": "mirror-test",
        },
    }
    return redis_url


def mirrored(redis_url):
    import redis

    return redis.Redis.from_url(redis_url).get(f"mirror-test:1:{generation_mirror.KEY}")


def bump_and_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        GlossaryState.bump()
    return GlossaryState.current()


def test_a_kept_page_costs_no_query_nor_redis_round_trip_and_an_edit_still_shows_at_once(
    seed, redis_cache, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache.backends.redis import RedisCache

    reader = Client()
    first = reader.get("/fr/terms/hybride/")
    assert first.status_code == 200
    reads = []
    original_get = RedisCache.get
    monkeypatch.setattr(RedisCache, "get", lambda *a, **k: reads.append(a) or original_get(*a, **k))
    with CaptureQueriesContext(connection) as queries:
        again = reader.get("/fr/terms/hybride/")
    assert len(queries) == 0 and reads == []
    assert again.content == first.content

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Concept.objects.filter(slug="hybride").update(status="draft")
        GlossaryState.bump()
    assert reader.get("/fr/terms/hybride/").status_code == 404
    # The new generation was heard on the subscription, not asked for.
    assert generation_mirror.KEY not in [key for _cache, key, *_rest in reads]


def test_a_change_published_by_another_server_is_heard_without_asking(db, redis_cache):
    import redis

    GlossaryState.bump()
    generation = GlossaryState.for_readers()
    assert GlossaryState.for_readers() == generation  # subscribed, and trusted
    # Another server's bump: its script, through a connection of its own.
    other = redis.Redis.from_url(redis_cache)
    key = f"mirror-test:1:{generation_mirror.KEY}"
    other.eval(generation_mirror.SET_IF_GREATER_AND_PUBLISH, 1, key, generation + 7, 5000)
    with CaptureQueriesContext(connection) as queries:
        assert GlossaryState.for_readers() == generation + 7
    assert len(queries) == 0


def test_a_lost_subscription_is_never_trusted(db, redis_cache):
    import redis

    GlossaryState.bump()
    generation = GlossaryState.for_readers()
    admin = redis.Redis.from_url(redis_cache)
    # This worker's subscription only: other programs may listen on the same Redis.
    host, port = generation_mirror.listener._pubsub.connection._sock.getsockname()[:2]
    assert admin.client_kill_filter(addr=f"{host}:{port}") == 1
    # Published while this worker was disconnected: it never hears it.
    admin.set(f"mirror-test:1:{generation_mirror.KEY}", generation + 3, px=5000)
    assert GlossaryState.for_readers() == generation + 3


def test_what_a_worker_heard_is_trusted_for_a_few_seconds_only(
    db, redis_cache, settings, monkeypatch
):
    import redis

    settings.GLOSSARY_GENERATION_MIRROR_SECONDS = 2
    GlossaryState.bump()
    generation = GlossaryState.for_readers()
    # Changed without a bump's message (a restored backup, SQL, a process killed mid-way):
    redis.Redis.from_url(redis_cache).set(
        f"mirror-test:1:{generation_mirror.KEY}", generation + 1, px=5000
    )
    assert GlossaryState.for_readers() == generation
    later = generation_mirror.time.monotonic() + 3
    monkeypatch.setattr(generation_mirror.time, "monotonic", lambda: later)
    assert GlossaryState.for_readers() == generation + 1


def test_each_bump_moves_the_mirror_once_committed_and_never_back(
    db, redis_cache, django_capture_on_commit_callbacks
):
    generation = bump_and_commit(django_capture_on_commit_callbacks)
    assert int(mirrored(redis_cache)) == generation == GlossaryState.for_readers()

    generation_mirror.write(generation - 10)  # a reader that read just before the bump
    assert int(mirrored(redis_cache)) == generation

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        GlossaryState.bump()
        assert int(mirrored(redis_cache)) == generation  # not before the commit
        transaction.set_rollback(True)
    assert callbacks == []  # a rolled-back change never reaches the mirror
    assert GlossaryState.for_readers() == generation


def test_the_mirror_expires_and_is_read_again_from_the_database(
    db, redis_cache, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import redis

    generation = bump_and_commit(django_capture_on_commit_callbacks)
    # A change that bypassed the app (SQL, a restored backup) while the mirror lived:
    GlossaryState.objects.filter(pk=1).update(generation=generation + 5)
    assert GlossaryState.for_readers() == generation
    client = redis.Redis.from_url(redis_cache)
    key = f"mirror-test:1:{generation_mirror.KEY}"
    assert 0 < client.pttl(key) <= settings.GLOSSARY_GENERATION_MIRROR_SECONDS * 1000
    client.delete(key)  # what the expiry does
    later = generation_mirror.time.monotonic() + settings.GLOSSARY_GENERATION_MIRROR_SECONDS
    monkeypatch.setattr(generation_mirror.time, "monotonic", lambda: later)
    assert GlossaryState.for_readers() == generation + 5
    assert int(client.get(key)) == generation + 5


def test_without_redis_the_generation_comes_from_the_database(
    db, caplog, django_capture_on_commit_callbacks
):
    generation = bump_and_commit(django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as queries:
        assert GlossaryState.for_readers() == generation  # the folder cache: no mirror
    assert len(queries) == 1

    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with (
        override_settings(CACHES=unreachable),
        caplog.at_level(logging.WARNING, logger="terms.generation_mirror"),
    ):
        assert GlossaryState.for_readers() == generation
        bump_and_commit(django_capture_on_commit_callbacks)  # the edit is not refused
    assert "Redis failed" in caplog.text

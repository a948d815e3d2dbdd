"""The glossary's generation, mirrored in Redis when Redis is the shared cache.

Every reader request asks for the generation (terms/caching.py). On PostgreSQL that was
two round trips to the database (Django's health check of a kept connection, then the
read), and even one round trip to Redis cost more CPU than serving a page a worker keeps
in memory. So each bump also tells every worker, and a worker that heard nothing since
it last looked knows the generation without asking anyone.

The database stays the truth; the mirror only ever lags it, never leads:
- each bump, once its transaction has committed and before the editor's response leaves
  (`GlossaryState.bump`), writes the committed generation to a Redis key and publishes it
  on a channel, in one Lua script: "set if greater", so two bumps committing out of order,
  or a reader refilling the key with what it read a moment before a bump, never move it
  back;
- each worker process subscribes to that channel (`Listener`) and, on every request, reads
  whatever arrived on the subscription's socket without waiting (no round trip). A bump
  published before the editor's response left has reached the socket by the time anyone
  acts on that response, so the next request after a change sees it;
- the key expires, and what a worker heard is trusted, for
  `GLOSSARY_GENERATION_MIRROR_SECONDS` only: whatever did not go through a bump (a process
  killed between its commit and the script, a change made in SQL, a database restored
  from a backup) shows within twice that time, read again from the database.
A lost subscription (Redis restarted, a network cut) is never trusted again: the worker
asks Redis on each request until it has subscribed anew and read the key after that.

Anywhere else (the folder cache, Redis unreachable) the generation is read from the
database on each request, as before.
"""

import contextlib
import logging
import os
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver

KEY = "glossary-generation"  # the key and the channel: Redis keeps them apart
SET_IF_GREATER_AND_PUBLISH = """
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) >= tonumber(ARGV[1]) then
    return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', KEYS[1], ARGV[1])
return 1
"""
SUBSCRIBE_TIMEOUT_SECONDS = 1.0
RESUBSCRIBE_AFTER_SECONDS = 1.0
logger = logging.getLogger(__name__)


def read(from_database):
    """The current generation: what this worker heard, the mirror's, or `from_database()`'s
    (which then refills the mirror)."""
    cache = _redis_cache()
    if cache is None:
        return from_database()
    return listener.current(cache, from_database)


def write(generation):
    """Moves the mirror up to `generation` (never down), restarts its expiry, and tells every
    worker."""
    cache = _redis_cache()
    if cache is None:
        return
    key = cache.make_and_validate_key(KEY)
    try:
        client = cache._cache.get_client(key, write=True)
        client.eval(SET_IF_GREATER_AND_PUBLISH, 1, key, int(generation), _milliseconds())
    except redis.RedisError as error:
        # The mirror expires on its own: readers fall back to the database then.
        logger.warning("Writing the glossary generation to Redis failed: %s", error)


class Listener:
    """One worker process's subscription to the bumps, and the generation it last heard."""

    def __init__(self):
        self._lock = threading.Lock()
        self._forget()

    def current(self, cache, from_database):
        # Another thread of this process is (re)subscribing: it must not wait for that.
        if not self._lock.acquire(blocking=False):
            return _read_mirror(cache, from_database)
        try:
            return self._current(cache, from_database)
        finally:
            self._lock.release()

    def reset(self):
        """Forgets the subscription (tests; a new configuration)."""
        with self._lock:
            self._close()

    def _current(self, cache, from_database):
        now = time.monotonic()
        if self._pid != os.getpid():  # a forked child must not read its parent's socket
            self._forget()
        if self._pubsub is None and now >= self._retry_at:
            self._subscribe(cache, now)
        if self._pubsub is not None:
            self._drain()
        if self._pubsub is not None and now < self._trusted_until:
            return self._generation
        generation = _read_mirror(cache, from_database)
        if self._pubsub is not None:
            self._generation, self._trusted_until = generation, now + _seconds()
        return generation

    def _subscribe(self, cache, now):
        self._retry_at = now + RESUBSCRIBE_AFTER_SECONDS
        channel = cache.make_and_validate_key(KEY)
        try:
            pubsub = cache._cache.get_client(channel).pubsub(ignore_subscribe_messages=False)
            pubsub.subscribe(channel)
            confirmed = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_SECONDS)
            if not confirmed or confirmed.get("type") != "subscribe":
                pubsub.close()
                return
        except redis.RedisError as error:
            logger.warning("Subscribing to the glossary generation in Redis failed: %s", error)
            return
        # Called on every reconnection after this one, which redis-py makes on its own:
        # what was published while disconnected is lost, so what was heard is not trusted.
        pubsub.connection.register_connect_callback(self._reconnected)
        self._pubsub = pubsub  # nothing heard yet: _forget left it untrusted

    def _drain(self):
        try:
            while (message := self._pubsub.get_message(timeout=0.0)) is not None:
                if message.get("type") == "message" and self._generation is not None:
                    self._generation = max(self._generation, int(message["data"]))
        except (redis.RedisError, OSError, ValueError) as error:
            logger.warning("The glossary generation's subscription in Redis failed: %s", error)
            self._close()
            return
        if self._lost:
            self._close()

    def _reconnected(self, _connection):
        self._lost = True

    def _close(self):
        pubsub = self._pubsub
        self._forget()
        if pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):  # a broken connection
                pubsub.close()

    def _forget(self):
        self._pubsub = None
        self._pid = os.getpid()
        self._generation = None
        self._trusted_until = 0.0
        self._retry_at = 0.0
        self._lost = False


listener = Listener()


@receiver(setting_changed)
def _forget_the_subscription(*, setting, **kwargs):
    if setting in ("CACHES", "GLOSSARY_GENERATION_MIRROR_SECONDS"):
        listener.reset()


def _read_mirror(cache, from_database):
    try:
        mirrored = cache.get(KEY)
    except redis.RedisError as error:
        logger.warning("Reading the glossary generation from Redis failed: %s", error)
        return from_database()
    if isinstance(mirrored, int):
        return mirrored
    generation = from_database()
    write(generation)
    return generation


def _redis_cache():
    if _seconds() <= 0:
        return None
    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


def _seconds():
    return settings.GLOSSARY_GENERATION_MIRROR_SECONDS


def _milliseconds():
    return max(1, int(_seconds() * 1000))

"""Reader pages cached per glossary generation: never stale, cheap to serve.

A page is stored under its full path and the current `GlossaryState`
generation. Every change to the glossary bumps the generation in the same
transaction, so the next request, in any worker, misses the old entry.

A cached page is served to other people, so it may hold only what every reader
may see. Whoever may see drafts (`may_see_drafts`, the rule the views use) is
never served from the cache nor stored in it, staff or not. Signed-in readers get
pages of their own (a sign-out link) but never anyone's name: nothing on a reader
page names its reader, only the uncached sign-out page does.
"""

import functools
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from terms.access import may_see_drafts
from terms.models import GlossaryState

CACHE_SECONDS = 24 * 3600
# Letter pages of a huge glossary are not worth a worker's memory.
MAX_CACHED_BYTES = 256 * 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# What each worker keeps of the pages it served last, in its own memory.
RECENT_PAGES_BYTES = 16 * 1024 * 1024
RECENT_PAGE_MAX_BYTES = 1024 * 1024
gzip_response = GZipMiddleware(lambda request: None).process_response


def glossary_generation(request):
    """The glossary's generation (`GlossaryState.for_readers`), read once per request."""
    generation = getattr(request, "glossary_generation", None)
    if generation is None:
        generation = request.glossary_generation = GlossaryState.for_readers()
    return generation


def cache_reader_page(view=None, *, variant=None, max_bytes=MAX_CACHED_BYTES, compress=False):
    """Decorates a reader view: `@cache_reader_page`, or `@cache_reader_page(variant=f)`
    for a view whose one URL has several representations (a term page as HTML, Turtle
    or JSON-LD): `f(request)` names the one the view will answer with, and that name is
    part of the key, so a representation is never served to a request for another.

    `max_bytes`: the largest page worth keeping. `compress`: a page too big to send as it
    is (the whole glossary) is stored gzipped for browsers that accept it, so it is
    compressed once per change instead of once per reader."""
    if view is None:
        return functools.partial(
            cache_reader_page, variant=variant, max_bytes=max_bytes, compress=compress
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or may_see_drafts(request.user):
            return view(request, *args, **kwargs)
        audience = "signed-in" if request.user.is_authenticated else "anonymous"
        if audience == "anonymous":
            request.front_cacheable = max_bytes
        representation = variant(request) if variant else "page"
        gzipped = compress and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
        if gzipped:
            representation += "+gzip"
        # FrontPageCacheMiddleware has just looked for this very page, and stores it.
        stored_in_front = getattr(request, "front_cache_key", None) is not None
        key = response = None
        if not stored_in_front:
            path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
            key = f"page:{glossary_generation(request)}:{audience}:{representation}:{path}"
            response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if not response.streaming:
                # A response written piece by piece (the syndication framework writes a
                # feed element by element) would be sent to every reader in as many
                # socket writes: stored, and sent, as one piece.
                response.content = response.content
            if gzipped:
                response = gzip_response(request, response)
            elif compress:
                patch_vary_headers(response, ["Accept-Encoding"])
            cacheable = response.status_code == 200 and len(response.content) <= max_bytes
            if cacheable and not stored_in_front:
                cache.set(key, response, CACHE_SECONDS)
        return response

    return wrapper


class FrontPageCacheMiddleware:
    """Serves a reader page to an anonymous reader from the cache before the rest of the
    middleware runs (sessions, language, CSRF, authentication…), as WhiteNoise serves a
    static file: a cached page then costs about what a static file does.

    It stores the response exactly as it left the inner middleware, headers included,
    and only when `cache_reader_page` marked the request (an anonymous reader, a page
    that may be cached) and the response sets no cookie. It steps aside for anything that
    could make the page depend on who asks: a session cookie, an Authorization header,
    intranet mode, single sign-on (a proxy's header signs people in without a cookie),
    and RDF content negotiation. The key holds the glossary generation, read once per
    request (`glossary_generation`); `cache_reader_page` sees the key and leaves the
    storing to it.

    The pages a worker served last are also kept in its memory (`RecentPages`): those
    cost reading the generation (nothing where Redis is the shared cache and the worker
    heard it there, terms/generation_mirror.py; one database query otherwise) and no
    fetch of the page from the shared cache, which is what made a cached page cost twice
    a static file. They are never stale: they are looked up under the generation just
    read, like the shared cache's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.front_cache_key = self.key(request)
        if key is None:
            return self.get_response(request)
        generation = glossary_generation(request)
        page = recent_pages.get(generation, key)
        if page is not None:
            return page.response()
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            max_bytes = getattr(request, "front_cacheable", None)
            if not (
                max_bytes is not None
                and response.status_code == 200
                and not response.streaming
                and not response.cookies
                and len(response.content) <= max_bytes
            ):
                return response
            cache.set(key, response, CACHE_SECONDS)
        recent_pages.keep(generation, key, response)
        return response

    @staticmethod
    def key(request):
        if (
            request.method != "GET"
            or settings.GLOSSARY_REQUIRE_LOGIN
            or settings.GLOSSARY_TRUST_REMOTE_USER
            or settings.GLOSSARY_REMOTE_USER_HEADER in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
            # Reader pages live under a language prefix: nothing else is worth a query.
            or not request.path_info.startswith(
                tuple(f"/{code}/" for code, _ in settings.LANGUAGES)
            )
        ):
            return None
        accept = request.META.get("HTTP_ACCEPT", "")
        if "turtle" in accept or "ld+json" in accept:
            return None
        encoding = (
            "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
        )
        path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
        return f"front:{glossary_generation(request)}:{encoding}:{path}"


@dataclass(frozen=True)
class RecentPage:
    status: int
    headers: tuple
    content: bytes

    def response(self):
        """A response of its own for each request: middleware may add headers to it."""
        response = HttpResponse(self.content, status=self.status)
        for header, value in self.headers:
            response[header] = value
        return response


class RecentPages:
    """The pages one worker served last, up to `budget` bytes of content, oldest out first,
    for one glossary generation at a time: the first request that reads another
    generation empties it."""

    def __init__(self, budget=RECENT_PAGES_BYTES, largest=RECENT_PAGE_MAX_BYTES):
        self.budget = budget
        self.largest = largest
        self._pages = OrderedDict()
        self._size = 0
        self._generation = None
        self._lock = threading.Lock()

    def get(self, generation, key):
        with self._lock:
            if generation != self._generation:
                self._forget(generation)
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def keep(self, generation, key, response):
        size = len(response.content)
        if size > self.largest:
            return
        page = RecentPage(response.status_code, tuple(response.items()), response.content)
        with self._lock:
            if generation != self._generation:
                return
            previous = self._pages.pop(key, None)
            if previous is not None:
                self._size -= len(previous.content)
            self._pages[key] = page
            self._size += size
            while self._size > self.budget:
                _key, oldest = self._pages.popitem(last=False)
                self._size -= len(oldest.content)

    def clear(self):
        with self._lock:
            self._forget(None)

    def _forget(self, generation):
        self._pages.clear()
        self._size = 0
        self._generation = generation


recent_pages = RecentPages()

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

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from terms.access import may_see_drafts
from terms.models import GlossaryState

CACHE_SECONDS = 24 * 3600
# Letter pages of a huge glossary are not worth a worker's memory.
MAX_CACHED_BYTES = 256 * 1024
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
gzip_response = GZipMiddleware(lambda request: None).process_response


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
        path = request.get_full_path().encode()
        generation = getattr(request, "glossary_generation", None)
        if generation is None:
            generation = GlossaryState.current()
        key = f"page:{generation}:{audience}:{representation}:{hashlib.sha1(path).hexdigest()}"
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
            if response.status_code == 200 and len(response.content) <= max_bytes:
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
    request and handed to `cache_reader_page`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        max_bytes = getattr(request, "front_cacheable", None)
        if (
            max_bytes is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and len(response.content) <= max_bytes
        ):
            cache.set(key, response, CACHE_SECONDS)
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
        request.glossary_generation = GlossaryState.current()
        path = hashlib.sha1(request.get_full_path().encode()).hexdigest()
        return f"front:{request.glossary_generation}:{encoding}:{path}"

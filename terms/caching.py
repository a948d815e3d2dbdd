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

from django.core.cache import cache

from terms.access import may_see_drafts
from terms.models import GlossaryState

CACHE_SECONDS = 24 * 3600
# Letter pages of a huge glossary are not worth a worker's memory.
MAX_CACHED_BYTES = 256 * 1024


def cache_reader_page(view=None, *, variant=None):
    """Decorates a reader view: `@cache_reader_page`, or `@cache_reader_page(variant=f)`
    for a view whose one URL has several representations (a term page as HTML, Turtle
    or JSON-LD): `f(request)` names the one the view will answer with, and that name is
    part of the key, so a representation is never served to a request for another."""
    if view is None:
        return functools.partial(cache_reader_page, variant=variant)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or may_see_drafts(request.user):
            return view(request, *args, **kwargs)
        audience = "signed-in" if request.user.is_authenticated else "anonymous"
        representation = variant(request) if variant else "page"
        path = request.get_full_path().encode()
        key = (
            f"page:{GlossaryState.current()}:{audience}:{representation}:"
            f"{hashlib.sha1(path).hexdigest()}"
        )
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200 and len(response.content) <= MAX_CACHED_BYTES:
                cache.set(key, response, CACHE_SECONDS)
        return response

    return wrapper

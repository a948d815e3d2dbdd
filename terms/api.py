"""The read-only JSON API. Published concepts only; intranet mode applies to it too.

The shape is documented in README.md and described by `/api/openapi.json`
(terms/openapi.py), whose parameter schemas are what every request is read with:
an unknown parameter, a repeated one or a value its schema refuses is a JSON 400
naming it. Every answer under /api/ is JSON, errors included (`error_response`).
"""

import functools
import zlib

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Max
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition

from terms import openapi
from terms import search as glossary_search
from terms.index import canonical_letter
from terms.models import Concept, IndexEntry, content_languages

PREFIX = "/api/"
METHODS = ("GET", "HEAD")


def is_api_request(request):
    return request.path.startswith(PREFIX)


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(status, code, message, parameter=None):
    """An `Error` of the description: a sentence for people, a code for scripts."""
    data = {"error": str(message), "code": code}
    if parameter is not None:
        data["parameter"] = parameter
    return _json(data, status=status)


class ApiError(Exception):
    def __init__(self, status, code, message, parameter=None):
        super().__init__(message)
        self.response = error_response(status, code, message, parameter)


def not_found(request, exception=None):
    return error_response(404, "not_found", _("There is nothing at this address of the API."))


def server_error(request):
    return error_response(500, "server_error", _("The glossary failed to answer; try again."))


def sign_in_required(request):
    """Intranet mode: a script gets a JSON 403, not the sign-in page a browser is sent to.
    403, not 401: a session is no HTTP authentication scheme a WWW-Authenticate could name."""
    return error_response(
        403, "sign_in_required", _("Sign in to the glossary to use its API (intranet mode).")
    )


def api_view(view):
    """GET and HEAD only; errors as JSON. CSRF does not apply: nothing here writes."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in METHODS:
            response = error_response(
                405, "method_not_allowed", _("The API only answers GET and HEAD requests.")
            )
            response["Allow"] = ", ".join(METHODS)
            return response
        try:
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error.response
        if response.status_code >= 400:
            # A validator attached by @condition describes content this error is not.
            for header in ("ETag", "Last-Modified"):
                del response[header]
        return response

    return csrf_exempt(wrapper)


def read_query(request, parameters):
    """The query's values by name, typed, defaults filled in.

    Raises ApiError (400) for a parameter the operation does not take, one given more
    than once (which of two values would be meant?), or a value its schema refuses.
    """
    known = {parameter.name: parameter for parameter in parameters}
    for name in request.GET:
        if name not in known:
            raise ApiError(
                400,
                "invalid_parameter",
                _("“%(parameter)s” is not a parameter of this request, which takes: %(known)s.")
                % {"parameter": name, "known": ", ".join(known) or "-"},
                name,
            )
    values = {}
    for name, parameter in known.items():
        given = request.GET.getlist(name)
        if len(given) > 1:
            raise ApiError(
                400,
                "invalid_parameter",
                _("%(parameter)s is given more than once; give it once.") % {"parameter": name},
                name,
            )
        if not given:
            values[name] = parameter.default
            continue
        try:
            values[name] = parameter.read(given[0])
        except openapi.InvalidValue as invalid:
            message = parameter.explain()
            if invalid.hint:
                message = f"{message} {invalid.hint}"
            raise ApiError(400, "invalid_parameter", message, name) from None
    return values


@api_view
def search(request):
    """`/api/search/?q=…&lang=…[&limit=…]`: ranked concepts, as the search page finds them."""
    query = read_query(request, openapi.search_parameters())
    language = query["lang"]
    text = glossary_search.clean_query(query["q"])
    outcome = glossary_search.search(text, language, limit=query["limit"])
    with translation.override(language):
        results = [
            {
                "slug": result.slug,
                "term": result.term,
                "acronyms": result.acronyms,
                "other_terms": result.other_terms,
                "untranslated": result.untranslated,
                "url": reverse("terms:detail", kwargs={"slug": result.slug}),
            }
            for result in outcome.results
        ]
    return _json(
        {
            "query": text,
            "language": language,
            "results": results,
            "did_you_mean": outcome.did_you_mean,
        }
    )


def concept_data(concept, language):
    """One concept as the API shows it; needs texts, see_also and mentions prefetched."""
    texts = concept.texts_by_language()
    return {
        "slug": concept.slug,
        "url": f"/{language}/terms/{concept.slug}/",
        "updated_at": concept.updated_at.isoformat(),
        "languages": {
            code: {
                "term": texts[code].term,
                "acronyms": list(texts[code].acronyms),
                "variants": list(texts[code].variants),
                "definition": texts[code].definition,
            }
            for code in content_languages()
            if code in texts
        },
        "see_also": sorted(c.slug for c in concept.see_also.all() if c.is_published),
        "mentions": sorted(c.slug for c in concept.mentions.all() if c.is_published),
    }


def _glossary_version(request, query):
    """Changes whenever a published concept is added, changed, published or removed."""
    state = Concept.objects.published().aggregate(count=Count("id"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "empty"
    # crc32, not hash(): every worker process must compute the same tag.
    return f'"{state["count"]}-{latest}-{zlib.crc32(request.GET.urlencode().encode()):x}"'


def _latest_change(request, query):
    return Concept.objects.published().aggregate(latest=Max("updated_at"))["latest"]


@api_view
def concepts(request):
    """`/api/concepts/?lang=&letter=&updated_since=&page=&page_size=`, ordered by slug."""
    return _concept_page(request, read_query(request, openapi.concepts_parameters()))


@condition(etag_func=_glossary_version, last_modified_func=_latest_change)
def _concept_page(request, query):
    language = query["lang"]
    queryset = Concept.objects.published().order_by("slug")
    if query["letter"]:
        letter = canonical_letter(query["letter"])
        entries = IndexEntry.objects.filter(
            language=language, kind=IndexEntry.Kind.TERM, letter="#" if letter == "0-9" else letter
        )
        queryset = queryset.filter(pk__in=entries.values("concept_id"))
    if query["updated_since"]:
        queryset = queryset.filter(updated_at__gt=query["updated_since"])
    paginator = Paginator(
        queryset.prefetch_related("texts", "see_also", "mentions"), query["page_size"]
    )
    try:
        page = paginator.page(query["page"])
    except EmptyPage:
        raise ApiError(
            404,
            "not_found",
            _("There is no such page: the last one is %(pages)s.") % {"pages": paginator.num_pages},
            "page",
        ) from None

    def page_url(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{urlencode(params, doseq=True)}")

    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [concept_data(concept, language) for concept in page.object_list],
        }
    )


def _concept_etag(request, slug, query):
    updated = Concept.objects.published().filter(slug=slug).values_list("updated_at", flat=True)
    return f'"{slug}-{updated[0].isoformat()}"' if updated else None


@api_view
def concept_detail(request, slug):
    """`/api/concepts/<slug>/`: one published concept."""
    try:
        openapi.SLUG.read(slug)
    except openapi.InvalidValue:
        # Never a query: a slug no concept can have (PostgreSQL refuses NUL characters).
        raise _no_such_concept() from None
    return _concept(request, slug, read_query(request, openapi.concept_parameters()))


def _no_such_concept():
    return ApiError(404, "not_found", openapi.SLUG.explain(), "slug")


@condition(etag_func=_concept_etag)
def _concept(request, slug, query):
    concept = (
        Concept.objects.published()
        .prefetch_related("texts", "see_also", "mentions")
        .filter(slug=slug)
        .first()
    )
    if concept is None:
        raise _no_such_concept()
    return _json(concept_data(concept, query["lang"]))


@api_view
def openapi_description(request):
    read_query(request, [])
    return _json(openapi.openapi_document())

"""The read-only JSON API. Published concepts only; intranet mode applies to it too.

The shape is documented in README.md and described by `/api/openapi.json`
(terms/openapi.py), whose parameter schemas are what every request is read with:
an unknown parameter, a repeated one or a value its schema refuses is a JSON 400
naming it. Every answer under /api/ is JSON, errors included (`error_response`).
"""

import functools
import zlib

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Max, Q
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
from terms.models import Concept, Domain, IndexEntry, Status, content_languages

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


def public_domains():
    """The domains readers may know of: those holding a published concept. A domain whose
    concepts are all drafts is, to the API as to the reader pages, no domain at all."""
    published = Count("concepts", filter=Q(concepts__status=Status.PUBLISHED))
    return Domain.objects.annotate(published=published).filter(published__gt=0)


def check_domain(slug):
    """Raise a 404 naming `domain` unless `slug` is a public domain's; one query."""
    if slug is not None and not public_domains().filter(slug=slug).exists():
        raise ApiError(
            404,
            "not_found",
            _("No domain with published concepts has the slug “%(slug)s”: see /api/domains/.")
            % {"slug": slug},
            "domain",
        )


def domain_link(domain, language):
    return {
        "slug": domain.slug,
        "name": domain.name(language),
        "url": f"/{language}/domains/{domain.slug}/",
    }


def _match(match):
    if match is None:
        return None
    return {"text": match.text, "language": match.language, "kind": match.kind}


@api_view
def search(request):
    """`/api/search/?q=…&lang=…[&domain=…][&limit=…]`: ranked concepts, as the search page
    finds them."""
    query = read_query(request, openapi.search_parameters())
    check_domain(query["domain"])
    language = query["lang"]
    text = glossary_search.clean_query(query["q"])
    outcome = glossary_search.search(text, language, limit=query["limit"], domain=query["domain"])
    with translation.override(language):
        results = [
            {
                "slug": result.slug,
                "term": result.term,
                "acronyms": result.acronyms,
                "other_terms": result.other_terms,
                "untranslated": result.untranslated,
                "avoided": result.avoided,
                "matched": _match(result.matched),
                "term_language": result.term_language,
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


CONCEPT_RELATIONS = ("texts", "see_also", "mentions", "domains")


def concept_data(concept, language):
    """One concept as the API shows it; needs CONCEPT_RELATIONS prefetched."""
    texts = concept.texts_by_language()
    return {
        "slug": concept.slug,
        "url": f"/{language}/terms/{concept.slug}/",
        "updated_at": concept.updated_at.isoformat(),
        # A published concept's domains are all public: it is published in each.
        "domains": [
            domain_link(domain, language)
            for domain in sorted(concept.domains.all(), key=lambda domain: domain.slug)
        ],
        "languages": {
            code: {
                "term": texts[code].term,
                "acronyms": list(texts[code].acronyms),
                "variants": list(texts[code].variants),
                "deprecated": list(texts[code].deprecated),
                "definition": texts[code].definition,
                "note": texts[code].note,
                "source": texts[code].source,
            }
            for code in content_languages()
            if code in texts
        },
        "see_also": sorted(c.slug for c in concept.see_also.all() if c.is_published),
        "mentions": sorted(c.slug for c in concept.mentions.all() if c.is_published),
    }


def _domains_version():
    """Changes whenever a domain is added, renamed or removed: concepts show their domains'
    names, and renaming one changes no concept's `updated_at`. One query, a small table."""
    names = Domain.objects.order_by("slug").values_list("slug", "names")
    # crc32, not hash(): every worker process must compute the same tag.
    return zlib.crc32(repr(list(names)).encode())


def _published_state(request):
    """(count, latest change) of the published concepts, asked once per request: the ETag
    and Last-Modified both need it."""
    if not hasattr(request, "_published_state"):
        state = Concept.objects.published().aggregate(count=Count("id"), latest=Max("updated_at"))
        request._published_state = (state["count"], state["latest"])
    return request._published_state


def _glossary_version(request, *args):
    """Changes whenever a published concept is added, changed, published or removed, or a
    domain is renamed."""
    count, latest = _published_state(request)
    latest = latest.isoformat() if latest else "empty"
    query = zlib.crc32(request.GET.urlencode().encode())
    return f'"{count}-{latest}-{_domains_version():x}-{query:x}"'


def _latest_change(request, query):
    return _published_state(request)[1]


@api_view
def concepts(request):
    """`/api/concepts/?lang=&letter=&updated_since=&domain=&page=&page_size=`, ordered by
    slug."""
    query = read_query(request, openapi.concepts_parameters())
    check_domain(query["domain"])
    return _concept_page(request, query)


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
    if query["domain"]:
        queryset = queryset.filter(domains__slug=query["domain"])
    paginator = Paginator(queryset.prefetch_related(*CONCEPT_RELATIONS), query["page_size"])
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
    if not updated:
        return None
    return f'"{slug}-{updated[0].isoformat()}-{_domains_version():x}"'


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
        Concept.objects.published().prefetch_related(*CONCEPT_RELATIONS).filter(slug=slug).first()
    )
    if concept is None:
        raise _no_such_concept()
    return _json(concept_data(concept, query["lang"]))


@api_view
def domains(request):
    """`/api/domains/?lang=`: the public domains, ordered by slug, with their counts."""
    return _domain_list(request, read_query(request, openapi.domains_parameters()))


@condition(etag_func=_glossary_version)
def _domain_list(request, query):
    language = query["lang"]
    results = [
        {
            **domain_link(domain, language),
            "names": {
                code: domain.names[code]
                for code in content_languages()
                if isinstance(domain.names.get(code), str) and domain.names[code]
            },
            "count": domain.published,
        }
        for domain in public_domains().order_by("slug")
    ]
    return _json({"count": len(results), "results": results})


@api_view
def openapi_description(request):
    read_query(request, [])
    return _json(openapi.openapi_document())

"""The read-only JSON API. Published concepts only; intranet mode applies to it too.

The shape is documented in README.md and described by `/api/openapi.json`
(terms/openapi.py); tests validate real responses against that description.
"""

import zlib

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.views.decorators.http import condition, require_safe

from terms import search as glossary_search
from terms.index import canonical_letter
from terms.models import Concept, IndexEntry, content_languages
from terms.openapi import openapi_document

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

MAX_SUGGESTIONS = 20


def _language(request):
    language = request.GET.get("lang", "")
    return language if language in content_languages() else content_languages()[0]


def _limit(request, default, maximum, name="limit"):
    try:
        return max(1, min(int(request.GET.get(name, default)), maximum))
    except ValueError:
        return default


@require_safe
def search(request):
    """`/api/search/?q=…&lang=…[&limit=…]`: ranked concepts, as the search page finds them."""
    language = _language(request)
    query = glossary_search.clean_query(request.GET.get("q", ""))
    outcome = glossary_search.search(query, language, limit=_limit(request, 8, MAX_SUGGESTIONS))
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
            "query": query,
            "language": language,
            "results": results,
            "did_you_mean": outcome.did_you_mean,
        }
    )


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message, status=400):
    return _json({"error": message}, status=status)


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


def _glossary_version(request, *args, **kwargs):
    """Changes whenever a published concept is added, changed, published or removed."""
    state = Concept.objects.published().aggregate(count=Count("id"), latest=Max("updated_at"))
    latest = state["latest"].isoformat() if state["latest"] else "empty"
    # crc32, not hash(): every worker process must compute the same tag.
    return f'"{state["count"]}-{latest}-{zlib.crc32(request.GET.urlencode().encode()):x}"'


def _latest_change(request, *args, **kwargs):
    return Concept.objects.published().aggregate(latest=Max("updated_at"))["latest"]


@require_safe
@condition(etag_func=_glossary_version, last_modified_func=_latest_change)
def concepts(request):
    """`/api/concepts/?lang=&letter=&updated_since=&page=&page_size=`, ordered by slug."""
    language = _language(request)
    queryset = Concept.objects.published().order_by("slug")
    if request.GET.get("letter"):
        letter = canonical_letter(request.GET["letter"])
        if letter is None:
            return _error("letter must be one of A-Z or 0-9.")
        entries = IndexEntry.objects.filter(
            language=language, kind=IndexEntry.Kind.TERM, letter="#" if letter == "0-9" else letter
        )
        queryset = queryset.filter(pk__in=entries.values("concept_id"))
    if request.GET.get("updated_since"):
        since = parse_datetime(request.GET["updated_since"])
        if since is None:
            return _error("updated_since must be an ISO 8601 date and time.")
        queryset = queryset.filter(updated_at__gt=since)
    page_size = _limit(request, PAGE_SIZE, MAX_PAGE_SIZE, name="page_size")
    paginator = Paginator(queryset.prefetch_related("texts", "see_also", "mentions"), page_size)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, ValueError, TypeError):
        return _error("No such page.", status=404)

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


def _concept_etag(request, slug):
    updated = Concept.objects.published().filter(slug=slug).values_list("updated_at", flat=True)
    return f'"{slug}-{updated[0].isoformat()}"' if updated else None


@require_safe
@condition(etag_func=_concept_etag)
def concept_detail(request, slug):
    """`/api/concepts/<slug>/`: one published concept."""
    concept = get_object_or_404(
        Concept.objects.published().prefetch_related("texts", "see_also", "mentions"), slug=slug
    )
    return _json(concept_data(concept, _language(request)))


@require_safe
def openapi(request):
    return _json(openapi_document())

"""The read-only JSON API. Published concepts only; intranet mode applies to it too."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from terms import search as glossary_search
from terms.models import content_languages

MAX_SUGGESTIONS = 20


def _language(request):
    language = request.GET.get("lang", "")
    return language if language in content_languages() else content_languages()[0]


def _limit(request, default, maximum):
    try:
        return max(1, min(int(request.GET.get("limit", default)), maximum))
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
    return JsonResponse(
        {
            "query": query,
            "language": language,
            "results": results,
            "did_you_mean": outcome.did_you_mean,
        },
        json_dumps_params={"ensure_ascii": False},
    )

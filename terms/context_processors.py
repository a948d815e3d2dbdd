"""Template context shared by every reader page."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def languages(request):
    """Links to the same page in each language, keeping the query string (the search)."""
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(request.path, code) + suffix,
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ]
    }

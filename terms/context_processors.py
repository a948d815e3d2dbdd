"""Template context shared by every reader page."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language_info

from terms.access import may_see_drafts


def editing(request):
    """`is_editor`: whether to show drafts' banners and edit links. The same rule as the
    page cache's, so an edit link is never cached for readers; asked only when a template
    uses it (templates call a callable)."""
    return {"is_editor": functools.partial(may_see_drafts, request.user)}


def languages(request):
    """Links to the same page in each language, keeping the query string (the search), and
    the page's canonical path. `url` is that page (for `<link rel="alternate">`);
    `switch_url` goes through the language switch, which remembers the choice and lands
    on a page that exists (the switch's `views.landing_page`).

    Links are built from the view the URL resolved to, never from the raw path: a request
    for `//evil.example/` (or `/\\evil.example/`) would otherwise link to another site. A path
    that resolved to nothing (a 404) links to each language's home.
    """
    match = request.resolver_match
    query = request.META.get("QUERY_STRING", "") if match else ""
    suffix = f"?{query}" if query else ""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # Each language's path reversed once: the page's own is needed three times.
    same_page = {code: _same_page_in(code, match) for code, _name in settings.LANGUAGES}
    # `next` is this page rebuilt from its view, as `canonical_path`, never the raw path
    # (which may name another site).
    back_here = urlencode({"next": same_page[current] + suffix}, safe="/")
    return {
        "canonical_path": same_page[current],
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": same_page[code] + suffix,
                "switch_url": reverse("switch-language", kwargs={"language": code})
                + "?"
                + back_here,
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
    }


def _same_page_in(language, match):
    with translation.override(language):
        if match is not None:
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
        return reverse("terms:index")

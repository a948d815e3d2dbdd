"""The glossary on other intranet pages (terms/embed.py): the script, its description and
details, a term's card for an iframe, and the live example page."""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from terms import api, embed
from terms.caching import cache_reader_page
from terms.languages import content_languages
from terms.middleware import READER_POLICY
from terms.models import Concept, GlossaryState


def embedding_endpoint(view):
    """GET and HEAD; whatever the answer (a 304, a redirect, an error), CORS headers for a
    listed origin only, so the script can tell an error from a refusal."""

    @functools.wraps(view)
    @require_safe
    def wrapper(request, *args, **kwargs):
        return embed.share_with_origin(request, view(request, *args, **kwargs))

    return wrapper


def _unchanged(request, etag):
    return etag in request.headers.get("If-None-Match", "")


@embedding_endpoint
def script(request):
    """`/embed/glossary.js`: asked again on each page load (no-cache) but answered with a
    304 while the glossary is unchanged; a change gives a script naming the new
    description, so a page shows it at once."""
    source, etag = embed.script(GlossaryState.current())
    response = HttpResponseNotModified() if _unchanged(request, etag) else HttpResponse(source)
    response["Content-Type"] = "text/javascript; charset=utf-8"
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _versioned(request, language, generation, name):
    """None when `generation` is current; else where the current version is: a page whose
    script was fetched just before a change follows the redirect."""
    if language not in content_languages():
        raise api.ApiError(
            404, "not_found", _("The glossary has no language “%(code)s”.") % {"code": language}
        )
    current = GlossaryState.current()
    if generation == current:
        return None
    target = reverse(name, kwargs={"language": language, "generation": current})
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponseRedirect(f"{target}?{query}" if query else target)
    response["Cache-Control"] = "no-cache"
    return response


def _errors_as_json(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except api.ApiError as error:
            return error.response

    return wrapper


@embedding_endpoint
@_errors_as_json
def description(request, language, generation):
    """`/embed/<lang>/<generation>/terms.json`: every wording the script looks for."""
    moved = _versioned(request, language, generation, "embed-description")
    if moved:
        return moved
    etag = f'"{generation}-{language}"'
    if _unchanged(request, etag):
        response = HttpResponseNotModified()
    else:
        raw, compressed = embed.description(language, generation)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(compressed, content_type="application/json")
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(raw, content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    response["ETag"] = etag
    response["Cache-Control"] = embed.versioned_cache_control()
    return response


@embedding_endpoint
@_errors_as_json
def details(request, language, generation):
    """`/embed/<lang>/<generation>/details.json?concepts=a,b`: what the popovers of the
    concepts a page names show. Unknown slugs and drafts are left out, not refused."""
    moved = _versioned(request, language, generation, "embed-details")
    if moved:
        return moved
    try:
        slugs = embed.read_slugs(request.GET.get("concepts", ""))
    except embed.BadSlugs as bad:
        raise api.ApiError(400, "invalid_parameter", str(bad), "concepts") from None
    etag = '"{}"'.format(
        hashlib.sha1(f"{generation}|{language}|{','.join(slugs)}".encode()).hexdigest()[:24]
    )
    if _unchanged(request, etag):
        response = HttpResponseNotModified()
    else:
        data = {"language": language, "concepts": embed.details(language, slugs)}
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["Cache-Control"] = embed.versioned_cache_control()
    return response


@require_safe
@cache_reader_page
def card(request, slug):
    """`/<lang>/terms/<slug>/card/`: one concept for an iframe, framed by the listed
    origins only."""
    language = request.LANGUAGE_CODE
    concept = get_object_or_404(Concept.objects.published().with_texts(), slug=slug)
    shown = concept.shown_text(language)
    context = {
        "concept": concept,
        "term": concept.display_term(language),
        "acronyms": concept.shown("acronyms", language),
        "others": [t for t in concept.other_texts(language) if t.language != language],
        "definition": embed.start_of(shown.definition) if shown else "",
        "definition_language": shown.language if shown else language,
    }
    response = render(request, "terms/card.html", context)
    policy = embed.frame_ancestors(READER_POLICY)
    if policy:
        response["Content-Security-Policy"] = policy
        response.xframe_options_exempt = True
    return response


@require_safe
@cache_reader_page
def example(request):
    """`/<lang>/embed/`: the one-line snippet, its options, and the script at work."""
    example_concept = Concept.objects.published().order_by("slug").values_list("slug", flat=True)
    context = {
        "script_url": settings.GLOSSARY_BASE_URL.rstrip("/") + embed.SCRIPT_PATH,
        "base_url": settings.GLOSSARY_BASE_URL.rstrip("/"),
        "card_slug": example_concept.first() or "",
        "origins": settings.GLOSSARY_EMBED_ORIGINS,
    }
    return render(request, "terms/embed.html", context)

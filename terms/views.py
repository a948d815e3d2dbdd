"""Reader pages: thin views over named querysets; every one starts from `published()`."""

from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from terms import api
from terms import index as glossary_index
from terms import search as glossary_search
from terms.access import may_see_drafts
from terms.caching import cache_reader_page
from terms.interchange.formats import CONTENT_TYPES
from terms.interchange.service import export_file
from terms.models import Concept, content_languages


@require_safe
def root_redirect(request):
    language = translation.get_language_from_request(request, check_path=False)
    if language not in content_languages():
        language = content_languages()[0]
    response = redirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


def page_not_found(request, exception):
    """API clients read JSON, even for an address that does not exist."""
    if api.is_api_request(request):
        return api.not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if api.is_api_request(request):
        return api.server_error(request)
    return defaults.server_error(request)


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@cache_reader_page
def index(request):
    language = request.LANGUAGE_CODE
    home = glossary_index.home_page(language)
    return render(request, "terms/index.html", {"home": home, "letters": home.letters})


@require_safe
@cache_reader_page
def letter(request, letter):
    language = request.LANGUAGE_CODE
    canonical = glossary_index.canonical_letter(letter)
    if canonical is None:
        raise Http404("No such letter")
    if canonical != letter:
        return redirect("terms:letter", letter=canonical, permanent=True)
    page = glossary_index.letter_page(language, canonical, request.GET.get("page"))
    return render(request, "terms/letter.html", {"page": page, "letters": page.letters})


@require_safe
@cache_reader_page
def detail(request, slug):
    language = request.LANGUAGE_CODE
    editor = may_see_drafts(request.user)
    concepts = Concept.objects.all() if editor else Concept.objects.published()
    concept = get_object_or_404(concepts.with_texts(), slug=slug)
    page = glossary_index.term_page(concept, language, include_drafts=editor)
    return render(request, "terms/detail.html", {"page": page, "concept": concept})


@require_safe
@cache_reader_page
def search(request):
    language = request.LANGUAGE_CODE
    query = glossary_search.clean_query(request.GET.get("q", ""))
    outcome = glossary_search.search(query, language)
    return render(request, "terms/search.html", {"query": query, "outcome": outcome})


DOWNLOADS = {"tbx": "tbx", "ttl": "skos"}


@require_safe
def download(request, extension):
    """The published glossary as TBX-Basic or SKOS, for a reader's own tools."""
    file_format = DOWNLOADS.get(extension)
    if file_format is None:
        raise Http404("No such export")
    data = export_file(file_format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="glossary.{extension}"'
    return response

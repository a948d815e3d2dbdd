"""Reader pages: thin views over named querysets; every one starts from `published()`."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from terms import api
from terms import index as glossary_index
from terms import search as glossary_search
from terms.access import may_see_drafts
from terms.caching import cache_reader_page
from terms.interchange import skos
from terms.interchange.formats import CONTENT_TYPES
from terms.interchange.service import export_file, export_records
from terms.models import Concept, Domain, content_languages


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


# A term page's URL is its concept's IRI in SKOS, so linked-data clients may ask it for
# RDF. HTML comes first: it wins a tie, and browsers, which also send */*, get the page.
TERM_PAGE_TYPES = {
    "text/html": None,
    "text/turtle": skos.TURTLE,
    "application/ld+json": skos.JSON_LD,
}


def term_representation(request):
    """The media type a term page answers with, negotiated from Accept (q-values
    included); HTML when the client accepts none of ours."""
    accept = request.META.get("HTTP_ACCEPT", "")
    if "turtle" not in accept and "ld+json" not in accept:
        # Browsers and most clients: no negotiation to do, on the hot path of every
        # cached term page.
        return "text/html"
    return request.get_preferred_type(list(TERM_PAGE_TYPES)) or "text/html"


@require_safe
@cache_reader_page(variant=term_representation)
def detail(request, slug):
    language = request.LANGUAGE_CODE
    editor = may_see_drafts(request.user)
    concepts = Concept.objects.all() if editor else Concept.objects.published()
    media_type = term_representation(request)
    if TERM_PAGE_TYPES[media_type]:
        response = _concept_rdf(get_object_or_404(concepts, slug=slug), media_type)
    else:
        concept = get_object_or_404(concepts.with_texts(), slug=slug)
        page = glossary_index.term_page(concept, language, include_drafts=editor)
        response = render(request, "terms/detail.html", {"page": page, "concept": concept})
    patch_vary_headers(response, ["Accept"])
    return response


def _concept_rdf(concept, media_type):
    """One concept as SKOS: the same graph as the downloads', with its see-also links
    to published concepts and the time of its last change."""
    data = skos.write_skos(
        export_records(Concept.objects.filter(pk=concept.pk)),
        base_url=settings.GLOSSARY_BASE_URL,
        title=settings.GLOSSARY_TITLE,
        linkable=concept.see_also.published().values_list("slug", flat=True),
        modified={concept.slug: concept.updated_at},
        rdf=TERM_PAGE_TYPES[media_type],
    )
    content_type = f"{media_type}; charset=utf-8" if media_type == "text/turtle" else media_type
    return HttpResponse(data, content_type=content_type)


@require_safe
@cache_reader_page
def search(request):
    language = request.LANGUAGE_CODE
    query = glossary_search.clean_query(request.GET.get("q", ""))
    domains = glossary_index.domain_choices(language)
    # An unknown domain (an old link, a typo) searches every domain, and the page says so.
    wanted = request.GET.get("domain", "")
    domain = next((link for link in domains if link.slug == wanted), None)
    outcome = glossary_search.search(query, language, domain=domain.slug if domain else None)
    context = {
        "query": query,
        "outcome": outcome,
        "domains": domains,
        "domain": domain,
        "unknown_domain": wanted if wanted and domain is None else "",
    }
    return render(request, "terms/search.html", context)


@require_safe
@cache_reader_page
def domains(request):
    links = glossary_index.domain_links(request.LANGUAGE_CODE)
    return render(request, "terms/domains.html", {"domains": links})


@require_safe
@cache_reader_page
def domain(request, slug):
    found = get_object_or_404(Domain, slug=slug)
    page = glossary_index.domain_page(found, request.LANGUAGE_CODE, request.GET.get("page"))
    return render(request, "terms/domain.html", {"page": page})


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

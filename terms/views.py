"""Reader pages: thin views over named querysets; every one starts from `published()`."""

import hashlib
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import pgettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from terms import api, news
from terms import index as glossary_index
from terms import search as glossary_search
from terms.access import may_see_drafts
from terms.caching import cache_reader_page, glossary_generation
from terms.interchange import skos
from terms.interchange.formats import CONTENT_TYPES
from terms.interchange.service import export_file, export_records
from terms.models import Concept, Domain, GlossaryState, content_languages


@require_safe
def root_redirect(request):
    language = translation.get_language_from_request(request, check_path=False)
    if language not in content_languages():
        language = content_languages()[0]
    response = redirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


# Django keeps its language cookie for the browser session unless told otherwise; a
# reader's choice of language should outlast closing the browser.
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
# Stands for the slug in a term page address reversed once for many results.
SLUG_PLACEHOLDER = "SLUG"


@require_safe
@never_cache
def switch_language(request, language):
    """The language switch: remembers the reader's choice in Django's language cookie
    (which `/` honours before the browser's languages) and lands on the page they were
    reading (`next`), in that language, or on its home when that page would be empty."""
    if language not in content_languages():
        raise Http404("No such language")
    response = redirect(landing_page(request.GET.get("next", ""), language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or LANGUAGE_COOKIE_SECONDS,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response


def landing_page(next_path, language):
    """The page `next_path` names, in `language`: the same view with the same slug (a
    term, a domain) and query (a search); a letter that has no entry in `language` lands
    on its home, whose A–Z shows the letters that have some. The path is rebuilt from
    the view it resolves to, never copied, so it can only lead to a page of this site."""
    home = _home(language)
    parts = urlsplit(next_path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return home
    with translation.override(translation.get_language_from_path(parts.path) or language):
        try:
            match = resolve(parts.path)
        except Resolver404:
            return home
    if match.view_name == "terms:letter" and not glossary_index.letter_has_entries(
        language, match.kwargs.get("letter", "")
    ):
        return home
    with translation.override(language):
        try:
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return home
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return f"{path}?{query}" if query else path


def _home(language):
    with translation.override(language):
        return reverse("terms:index")


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
    context = {
        "home": home,
        "letters": home.letters,
        "news": news.latest(language, news.HOME_LIMIT),
    }
    return render(request, "terms/index.html", context)


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
    domains = glossary_index.domain_choices(language, glossary_generation(request))
    # An unknown domain (an old link, a typo) searches every domain, and the page says so.
    wanted = request.GET.get("domain", "")
    domain = next((link for link in domains if link.slug == wanted), None)
    outcome = glossary_search.search(
        query,
        language,
        domain=domain.slug if domain else None,
        generation=glossary_generation(request),
    )
    # One reverse() for the 20 results: each cost as much as its excerpt.
    url_pattern = reverse("terms:detail", kwargs={"slug": SLUG_PLACEHOLDER})
    for result in outcome.results:
        result.url = url_pattern.replace(SLUG_PLACEHOLDER, result.slug)
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


# The published glossary for a reader's own tools: a spreadsheet (the admin export's
# columns, published concepts only), TBX for translation tools, SKOS for linked data.
DOWNLOADS = {"xlsx": "xlsx", "csv": "csv", "tbx": "tbx", "ttl": "skos"}
SPREADSHEETS = {"xlsx", "csv"}
# A file is rebuilt only when the glossary changes: an export of thousands of concepts
# takes seconds, and every reader's click would pay them.
DOWNLOAD_CACHE_SECONDS = 24 * 3600


@require_safe
def download(request, extension):
    """`/exports/glossary.<extension>`: the published glossary as a file, never a draft."""
    file_format = DOWNLOADS.get(extension)
    if file_format is None:
        raise Http404("No such export")
    response = HttpResponse(_published_file(file_format), content_type=CONTENT_TYPES[file_format])
    if extension in SPREADSHEETS:
        # Named as the admin names its exports (`glossaire-2026-12-01.xlsx`), in the
        # reader's language: the name depends on it.
        filename = "{name}-{day}.{extension}".format(
            name=pgettext("export file name", "glossary"),
            day=timezone.localdate().isoformat(),
            extension=extension,
        )
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    else:
        filename = f"glossary.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _published_file(file_format):
    """The published glossary's file in `file_format`, cached per glossary generation
    (which every change moves on, as for the reader pages) and per the settings it is
    made from."""
    made_from = f"{settings.GLOSSARY_BASE_URL}|{settings.GLOSSARY_TITLE}".encode()
    key = f"export:{GlossaryState.current()}:{file_format}:{hashlib.sha1(made_from).hexdigest()}"
    data = cache.get(key)
    if data is None:
        data = export_file(file_format, include_drafts=False)
        cache.set(key, data, DOWNLOAD_CACHE_SECONDS)
    return data

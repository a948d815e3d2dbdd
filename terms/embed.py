"""The glossary on other intranet pages: what /embed/glossary.js looks for, what its
popovers show, and which pages may use it.

The script looks for the same wordings as the mention matcher (terms/mentions.py), with
the same rules: the matcher itself is built here from the published concepts, and its two
tables (wordings matched as written, wordings matched folded) are what the description
lists, already folded and written as codes of their words (`coded`), so the script only
folds and codes the page's words. What a popover shows
(the term, the other language's term, the start of the definition) is asked for only for
the concepts a page turned out to name: definitions for a whole glossary would weigh
three times the description's budget (150 KB gzipped at 10,000 concepts).

Only the origins in GLOSSARY_EMBED_ORIGINS get CORS headers and may frame a card; with
none listed, every response here is as strict as the reader pages'.
"""

import collections
import functools
import gzip
import hashlib
import json
import re

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from terms import mentions, text
from terms.languages import content_languages
from terms.models import Concept, ConceptText, Status
from terms.records import Content

PREFIX = "/embed/"
SCRIPT_PATH = "/embed/glossary.js"
# A generation's description and details never change: a browser keeps them for a year.
# In intranet mode only the reader's own browser may keep them, never a shared proxy.
VERSIONED_SECONDS = 365 * 24 * 3600
CACHE_SECONDS = 24 * 3600
# What a popover shows of a definition: its first paragraph, cut at a word near this.
DEFINITION_START = 240
# A page naming more concepts than this gets popovers with the term and link only for the
# others: the details request must stay a short URL.
MAX_DETAILS = 150
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
# How the description writes a wording matched as written, and a slug the script cannot
# derive from the concept's first wording. Neither character can occur in a wording.
EXACT_MARK = "="
SLUG_MARK = "/"
SEPARATOR = "|"
# A folded wording is sent as its words' codes: each the word's place in the description's
# list of words, in base 64 with these digits, all codes `width` digits long. None of them
# is a mark or the separator. FORMAT is in the description's address: a browser keeping a
# description written otherwise (for a year: it is immutable) never reads it with this script.
CODE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
FORMAT = 2


def is_embed_data(request):
    """The description and details: data of the glossary, unlike the script (code)."""
    return request.path.startswith(PREFIX) and request.path != SCRIPT_PATH


def allowed_origin(request):
    origin = request.headers.get("Origin", "")
    return origin if origin in settings.GLOSSARY_EMBED_ORIGINS else None


def share_with_origin(request, response):
    """CORS for a listed origin only, with credentials: in intranet mode the reader's own
    session is what lets the script read the glossary, as for the API. The answer differs
    by Origin, so caches are told (Vary) even when it carries no CORS header."""
    patch_vary_headers(response, ["Origin"])
    origin = allowed_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
    return response


def versioned_cache_control():
    audience = "private" if settings.GLOSSARY_REQUIRE_LOGIN else "public"
    return f"{audience}, max-age={VERSIONED_SECONDS}, immutable"


def frame_ancestors(policy):
    """`policy` (a Content-Security-Policy) letting the listed origins frame the page; None
    when there are none, so the page stays unframeable like every other."""
    origins = settings.GLOSSARY_EMBED_ORIGINS
    if not origins:
        return None
    return policy.replace("frame-ancestors 'none'", "frame-ancestors " + " ".join(origins))


# -- what the script looks for --------------------------------------------------------


def description_lines(concepts):
    """The description's lines for `concepts`, {id: (slug, {language: Content})}, ranked
    by id as the mention matcher ranks them (of two concepts sharing a wording, the older
    one is named).

    One line per concept: its wordings separated by `|`, folded (`chargee de compte`) or,
    for those matched as written, marked `=` (`=CSM`). The slug follows, marked `/`, only
    when it is not the first wording with dashes for spaces (most slugs are). Lines are
    sorted, which lets gzip share their beginnings: a third smaller than in id order.
    """
    names = []
    for concept_id, (_slug, contents) in concepts.items():
        names += mentions.names_of(concept_id, contents, (0, concept_id))
    matcher = mentions.build_matcher(names)
    wordings = {}
    for table, mark in ((matcher.folded, ""), (matcher.exact, EXACT_MARK)):
        for words, concept_id in table.items():
            # A wording of no Latin letter folds to nothing: it would name every such word.
            if all(words):
                wordings.setdefault(concept_id, []).append(mark + " ".join(words))
    lines = []
    for concept_id, parts in wordings.items():
        slug = concepts[concept_id][0]
        derived = next((p for p in parts if p[0] != EXACT_MARK and text.slug_for(p) == slug), None)
        if derived is None:
            parts.append(SLUG_MARK + slug)
        else:
            parts.remove(derived)
            parts.insert(0, derived)
        lines.append(SEPARATOR.join(parts))
    return sorted(lines)


def coded(lines):
    """(words, width, lines): `lines` (description_lines) with each folded wording written
    as its words' codes, `width` digits each, the most frequent words first so that they
    get the smallest codes. A glossary's wordings share their words (`de`, `client`,
    `account`): the benchmark's glossary of 10,000 concepts is 25 % smaller gzipped this
    way (133 → 102 KB; with terms of four and five words 154 → 114 KB)."""
    parts_by_line = [line.split(SEPARATOR) for line in lines]
    counts = collections.Counter(
        word
        for parts in parts_by_line
        for part in parts
        if not part.startswith((EXACT_MARK, SLUG_MARK))
        for word in part.split(" ")
    )
    words = sorted(counts, key=lambda word: (-counts[word], word))
    base = len(CODE_DIGITS)
    width = 1
    while base**width < len(words):
        width += 1
    codes = {}
    for place, word in enumerate(words):
        digits = []
        for _ in range(width):
            place, digit = divmod(place, base)
            digits.append(CODE_DIGITS[digit])
        codes[word] = "".join(reversed(digits))

    def written(part):
        if part.startswith((EXACT_MARK, SLUG_MARK)):
            return part
        return "".join(codes[word] for word in part.split(" "))

    return words, width, sorted(SEPARATOR.join(map(written, parts)) for parts in parts_by_line)


def published_names():
    """{id: (slug, {language: Content})} of the published concepts: their names only. One
    query."""
    concepts = {}
    rows = (
        ConceptText.objects.filter(concept__status=Status.PUBLISHED)
        .order_by("concept_id", "language")
        .values_list(
            "concept_id", "concept__slug", "language", "term", "acronyms", "variants", "unlinked"
        )
    )
    for concept_id, slug, language, term, acronyms, variants, unlinked in rows:
        _slug, contents = concepts.setdefault(concept_id, (slug, {}))
        contents[language] = Content(
            term, tuple(acronyms), tuple(variants), unlinked=tuple(unlinked)
        )
    return concepts


def description(language, generation):
    """(JSON, the same gzipped) of the description for pages in `language`, as of
    `generation`: built once per generation and kept in the shared cache."""
    key = f"embed:description:{FORMAT}:{generation}:{language}"
    found = cache.get(key)
    if found is not None:
        return found
    lines_key = f"embed:lines:{FORMAT}:{generation}"
    words_and_lines = cache.get(lines_key)
    if words_and_lines is None:
        words_and_lines = coded(description_lines(published_names()))
        cache.set(lines_key, words_and_lines, CACHE_SECONDS)
    words, width, lines = words_and_lines
    with translation.override(language):
        entry = reverse("terms:detail", kwargs={"slug": "__slug__"}).replace("__slug__", "{slug}")
    data = {
        "generation": generation,
        "language": language,
        "entry": entry,
        "details": reverse(
            "embed-details", kwargs={"language": language, "generation": generation}
        ),
        "words": " ".join(words),
        "width": width,
        "concepts": lines,
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    found = (raw, gzip.compress(raw, compresslevel=9, mtime=0))
    cache.set(key, found, CACHE_SECONDS)
    return found


# -- what a popover shows --------------------------------------------------------------


class BadSlugs(ValueError):
    pass


def read_slugs(value):
    """The slugs of a details request (`a,b,c`), or BadSlugs saying what is wrong."""
    slugs = sorted({slug for slug in (value or "").split(",") if slug})
    if len(slugs) > MAX_DETAILS:
        raise BadSlugs(
            gettext("Ask for at most %(count)s concepts at once.") % {"count": MAX_DETAILS}
        )
    for slug in slugs:
        if not SLUG.match(slug):
            raise BadSlugs(gettext("“%(slug)s” is not a concept's slug.") % {"slug": slug[:100]})
    return slugs


def start_of(definition):
    """The first paragraph of a definition, cut after a whole word near DEFINITION_START."""
    paragraphs = text.paragraphs(definition)
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    if len(first) <= DEFINITION_START and len(paragraphs) <= 1:
        return first
    if len(first) <= DEFINITION_START:
        return first + " …"
    cut = first[:DEFINITION_START].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def details(language, slugs):
    """{slug: what its popover shows} of the published concepts among `slugs`. Two queries."""
    found = {}
    concepts = Concept.objects.published().filter(slug__in=slugs).with_texts()
    with translation.override(language):
        for concept in concepts:
            term = concept.display_term(language)
            shown = concept.shown_text(language)
            found[concept.slug] = {
                "term": term,
                "acronyms": concept.shown("acronyms", language),
                "other": [
                    {"language": content.language, "term": content.term}
                    for content in concept.other_texts(language)
                    if content.term != term
                ],
                "definition": start_of(shown.definition) if shown else "",
                "definition_language": shown.language if shown else language,
                "url": reverse("terms:detail", kwargs={"slug": concept.slug}),
            }
    return found


# -- the script ------------------------------------------------------------------------


def labels(language):
    with translation.override(language):
        return {
            "close": gettext("Close"),
            "entry": gettext("Read the entry in the glossary"),
            "loading": gettext("Loading…"),
            "unavailable": gettext("The glossary cannot be reached at the moment."),
            "dialog": gettext("Glossary"),
        }


@functools.lru_cache(maxsize=8)
def script(generation):
    """(source, ETag) of /embed/glossary.js at `generation`, which it carries so that it
    asks for the current description; kept per process, a few KB."""
    config = {
        "generation": generation,
        "format": FORMAT,
        "codeDigits": CODE_DIGITS,
        "languages": content_languages(),
        "labels": {language: labels(language) for language in content_languages()},
    }
    # ASCII JSON is a JavaScript literal whatever the labels hold.
    source = render_to_string("embed/glossary.js", {"config": mark_safe(json.dumps(config))})
    etag = '"' + hashlib.sha1(source.encode()).hexdigest()[:20] + '"'
    return source, etag

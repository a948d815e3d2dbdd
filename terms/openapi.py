"""The API's contract: its OpenAPI 3.1 description, served at /api/openapi.json, and
the parameters it declares, which terms/api.py reads requests with.

Each parameter is declared once, as a `Parameter`: its JSON Schema is both what the
description publishes and what `Parameter.read` enforces, so a bound cannot be
described in one place and enforced (or not) in another. Schemathesis runs the
description against the real app in tests/test_api_contract.py.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from terms.models import content_languages

LANGUAGE_CONTENT = {
    "type": "object",
    "required": ["term", "acronyms", "variants", "deprecated", "definition", "note", "source"],
    "additionalProperties": False,
    "properties": {
        "term": {"type": "string", "description": "Preferred wording; empty if untranslated."},
        "acronyms": {"type": "array", "items": {"type": "string"}},
        "variants": {"type": "array", "items": {"type": "string"}},
        "deprecated": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Wordings to avoid: they lead to the concept, never name it.",
        },
        "definition": {
            "type": "string",
            "description": "Plain text; paragraphs split by a blank line.",
        },
        "note": {
            "type": "string",
            "description": "How to use the term, or an example; plain text, paragraphs split "
            "by a blank line.",
        },
        "source": {
            "type": "string",
            "description": "Where the definition comes from: a text or an address (https://…).",
        },
    },
}

SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
SLUG_MAX_LENGTH = 100

DOMAIN_LINK = {
    "type": "object",
    "description": "A domain the concept belongs to.",
    "required": ["slug", "name", "url"],
    "additionalProperties": False,
    "properties": {
        "slug": {"type": "string", "pattern": SLUG_PATTERN},
        "name": {
            "type": "string",
            "description": "Its name in `lang`, else in the first language that names it, "
            "else its slug.",
        },
        "url": {"type": "string", "description": "The public domain page, in `lang`."},
    },
}

CONCEPT = {
    "type": "object",
    "required": ["slug", "url", "updated_at", "domains", "languages", "see_also", "mentions"],
    "additionalProperties": False,
    "properties": {
        "slug": {"type": "string", "pattern": SLUG_PATTERN},
        "url": {
            "type": "string",
            "description": "The public term page, in the requested language.",
        },
        "updated_at": {"type": "string", "format": "date-time"},
        "domains": {
            "type": "array",
            "description": "The domains the concept belongs to, ordered by slug.",
            "items": {"$ref": "#/components/schemas/DomainLink"},
        },
        "languages": {
            "type": "object",
            "description": "Content per language code; a language without content is absent.",
            "additionalProperties": False,
            "properties": {},
        },
        "see_also": {"type": "array", "items": {"type": "string"}},
        "mentions": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Slugs of the concepts this concept's definitions name.",
        },
    },
}

DOMAIN = {
    "type": "object",
    "required": ["slug", "name", "names", "url", "count"],
    "additionalProperties": False,
    "properties": {
        **DOMAIN_LINK["properties"],
        "names": {
            "type": "object",
            "description": "Its name per language code; a language without a name is absent.",
            "additionalProperties": False,
            "properties": {},
        },
        "count": {
            "type": "integer",
            "minimum": 1,
            "description": "How many published concepts it holds.",
        },
    },
}

DOMAIN_LIST = {
    "type": "object",
    "required": ["count", "results"],
    "additionalProperties": False,
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Domain"}},
    },
}

CONCEPT_PAGE = {
    "type": "object",
    "required": ["count", "page", "pages", "next", "previous", "results"],
    "additionalProperties": False,
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Concept"}},
    },
}

SEARCH_RESULTS = {
    "type": "object",
    "required": ["query", "language", "results", "did_you_mean"],
    "additionalProperties": False,
    "properties": {
        "query": {"type": "string"},
        "language": {"type": "string"},
        "did_you_mean": {"type": "string"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "slug",
                    "term",
                    "acronyms",
                    "other_terms",
                    "untranslated",
                    "avoided",
                    "matched",
                    "term_language",
                    "url",
                ],
                "additionalProperties": False,
                "properties": {
                    "slug": {"type": "string"},
                    "term": {"type": "string"},
                    "acronyms": {"type": "array", "items": {"type": "string"}},
                    "other_terms": {"type": "array", "items": {"type": "string"}},
                    "untranslated": {"type": "boolean"},
                    "avoided": {
                        "type": "string",
                        "description": (
                            "The wording to avoid the query matched (say `term` instead), or "
                            "empty when the query matched one of the concept's own names."
                        ),
                    },
                    "matched": {
                        "description": (
                            "What the query matched when it is not the `term` or `acronyms` "
                            "shown: another name of the concept (another language's term, a "
                            "variant, an acronym), or a word of a definition; null when it "
                            "matched the shown name, or a wording to avoid (see `avoided`)."
                        ),
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["text", "language", "kind"],
                                "additionalProperties": False,
                                "properties": {
                                    "text": {
                                        "type": "string",
                                        "description": "The wording or word, as written.",
                                    },
                                    "language": {
                                        "type": "string",
                                        "description": "The language it is written in.",
                                    },
                                    "kind": {
                                        "type": "string",
                                        "enum": ["term", "acronym", "variant", "definition"],
                                    },
                                },
                            },
                        ],
                    },
                    "term_language": {
                        "type": "string",
                        "description": (
                            "The language `term` is written in: `lang`, or when the concept "
                            "is untranslated the language its term is shown from."
                        ),
                    },
                    "url": {"type": "string"},
                },
            },
        },
    },
}

# Machine-readable reasons: `error` is a sentence in the reader's language, `code` is
# what a script tests.
ERROR_CODES = {
    "invalid_parameter": "400: a parameter is unknown, repeated or breaks its rule",
    "not_found": "404: no such concept, domain, page or path",
    "method_not_allowed": "405: only GET and HEAD are served",
    "sign_in_required": "403: intranet mode, and the request has no signed-in session",
    "server_error": "500: a fault of ours",
}

ERROR = {
    "type": "object",
    "required": ["error", "code"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "string",
            "description": "What went wrong, as a sentence in the language of the "
            "Accept-Language header (French by default); for people, not for parsing.",
        },
        "code": {
            "enum": list(ERROR_CODES),
            "description": "; ".join(f"`{code}`: {what}" for code, what in ERROR_CODES.items()),
        },
        "parameter": {
            "type": "string",
            "description": "The parameter at fault, when one is.",
        },
    },
}


class InvalidValue(ValueError):
    """A value that breaks its parameter's rule; `hint` says more than the rule."""

    def __init__(self, hint=None):
        super().__init__(hint)
        self.hint = hint


@dataclass(frozen=True)
class Parameter:
    """One parameter, as described and as enforced.

    `schema` is published as is; `read` accepts exactly the values it allows.
    `rule` is the sentence a client gets for a value that breaks it; it is
    formatted with the schema's keywords (`%(minimum)s`).
    """

    name: str
    description: str
    schema: dict
    rule: str = _("%(parameter)s has a value this request cannot take.")
    location: str = "query"
    example: object = None

    def describe(self):
        description = {
            "name": self.name,
            "in": self.location,
            "required": self.location == "path",
            "description": self.description,
            "schema": self.schema,
        }
        if self.example is not None:
            description["example"] = self.example
        return description

    @property
    def default(self):
        return self.schema.get("default")

    def explain(self):
        choices = ", ".join(self.schema.get("enum", ()))
        return self.rule % {"parameter": self.name, "choices": choices, **self.schema}

    def read(self, raw):
        """The value of `raw`, typed; raises InvalidValue when the schema refuses it."""
        schema = self.schema
        if schema.get("type") == "integer":
            value = read_integer(raw)
            if value < schema.get("minimum", value) or value > schema.get("maximum", value):
                raise InvalidValue
            return value
        if "enum" in schema and raw not in schema["enum"]:
            raise InvalidValue
        if "pattern" in schema and not re.fullmatch(schema["pattern"], raw):
            raise InvalidValue
        if len(raw) > schema.get("maxLength", len(raw)):
            raise InvalidValue
        if schema.get("format") == "date-time":
            return read_date_time(raw)
        return raw


# ASCII digits only: int() would also take "1_000", " 7 " or Arabic-Indic digits.
INTEGER = re.compile(r"(?P<sign>-?)0*(?P<digits>[0-9]+)")
# Far past every bound and every page, and cheap: int() of thousands of digits is not.
HUGE = 10**18


def read_integer(raw):
    match = INTEGER.fullmatch(raw)
    if match is None:
        raise InvalidValue
    value = int(match["digits"]) if len(match["digits"]) <= 18 else HUGE
    return -value if match["sign"] else value


# RFC 3339's date-time, which OpenAPI's `format: date-time` means: a time zone is
# required, since "changed since 09:00" means nothing without one.
DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))"
)
# What an unencoded "+" of an offset becomes in a query string.
SPACE_FOR_PLUS = re.compile(r"[0-9]{2}:[0-9]{2}(?:\.[0-9]+)? [0-9]{2}:[0-9]{2}\Z")
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def read_date_time(raw):
    """An RFC 3339 date-time as an aware datetime in UTC.

    Instants outside what Python represents (year 0000, or 0001-01-01 ahead of UTC)
    are valid RFC 3339: they are read as the earliest or latest representable instant.
    """
    match = DATE_TIME.fullmatch(raw)
    if match is None:
        if SPACE_FOR_PLUS.search(raw):
            raise InvalidValue(_("A “+” in a query string must be sent as %2B."))
        raise InvalidValue
    hour, minute = int(match["hour"]), int(match["minute"])
    offset_hour = int(match["offset_hour"] or 0)
    offset_minute = int(match["offset_minute"] or 0)
    # RFC 3339 allows second 60 for a leap second, which Python cannot hold.
    second = min(int(match["second"]), 59)
    if hour > 23 or minute > 59 or second > 59 or offset_hour > 23 or offset_minute > 59:
        raise InvalidValue
    microsecond = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    offset = timedelta(hours=offset_hour, minutes=offset_minute)
    if match["sign"] == "-":
        offset = -offset
    year, month, day = (int(part) for part in match["date"].split("-"))
    try:
        # Year 0000 is a leap year, as 2000 is; Python's years start at 1.
        local = datetime(year or 2000, month, day, hour, minute, second, microsecond)
    except ValueError:
        raise InvalidValue from None  # 2026-02-30
    if year == 0:
        return EARLIEST
    try:
        return (local - offset).replace(tzinfo=UTC)
    except OverflowError:
        return EARLIEST if offset > timedelta(0) else LATEST


def language_parameter():
    languages = content_languages()
    return Parameter(
        "lang",
        "Language of URLs and labels.",
        {"type": "string", "enum": languages, "default": languages[0]},
        _("%(parameter)s must be one of the glossary’s languages: %(choices)s."),
    )


LETTER = Parameter(
    "letter",
    "Only concepts whose term in `lang` files under a letter: A-Z (either case) or 0-9.",
    {"type": "string", "pattern": "^([A-Za-z]|0-9)$"},
    _("%(parameter)s must be one letter from A to Z, or 0-9."),
)
UPDATED_SINCE = Parameter(
    "updated_since",
    "Only concepts changed after this instant: an RFC 3339 date-time with its time zone, "
    "`2026-01-31T09:30:00Z` or `2026-01-31T10:30:00+01:00` (the `+` sent as `%2B`). "
    "A date alone, or a time without a zone, is refused.",
    {"type": "string", "format": "date-time"},
    _(
        "%(parameter)s must be a date and time with its time zone, such as "
        "2026-01-31T09:30:00Z or 2026-01-31T10:30:00+01:00 (RFC 3339)."
    ),
    example="2026-01-31T09:30:00Z",
)
PAGE = Parameter(
    "page",
    "Page number, from 1; a page past the last one is a 404.",
    {"type": "integer", "minimum": 1, "default": 1},
    _("%(parameter)s must be a whole number, %(minimum)s or more."),
)
PAGE_SIZE = Parameter(
    "page_size",
    "Concepts per page.",
    {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
    _("%(parameter)s must be a whole number from %(minimum)s to %(maximum)s."),
)
QUERY = Parameter(
    "q",
    "The query; only its first 200 characters are searched.",
    {"type": "string", "default": ""},
    example="onbording",
)
LIMIT = Parameter(
    "limit",
    "How many results, at most.",
    {"type": "integer", "minimum": 1, "maximum": 20, "default": 8},
    _("%(parameter)s must be a whole number from %(minimum)s to %(maximum)s."),
)
SLUG = Parameter(
    "slug",
    "The concept's slug.",
    {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH},
    _("No published concept has this slug."),
    location="path",
    # A concept of the seed glossary: Schemathesis tries it, so a found concept is checked
    # too, not only the 404s of generated slugs.
    example="chargee-de-compte",
)


DOMAIN_FILTER = Parameter(
    "domain",
    "Only concepts of this domain, by its slug (`/api/domains/` lists them). A domain "
    "without published concepts is unknown here: a 404 naming `domain`.",
    {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH},
    _("%(parameter)s must be a domain’s slug: letters, digits, hyphens and underscores."),
    example="roles",  # a domain of the seed glossary
)


def concepts_parameters():
    return [language_parameter(), LETTER, UPDATED_SINCE, DOMAIN_FILTER, PAGE, PAGE_SIZE]


def concept_parameters():
    return [language_parameter()]


def search_parameters():
    return [QUERY, language_parameter(), DOMAIN_FILTER, LIMIT]


def domains_parameters():
    return [language_parameter()]


def _json_response(description, schema_name, headers=None):
    response = {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }
    if headers:
        response["headers"] = headers
    return response


def _header(description, required=True, schema=None):
    return {
        "description": description,
        "required": required,
        "schema": schema or {"type": "string"},
    }


ETAG = _header("Changes whenever the response would; send it back in If-None-Match.")
LAST_MODIFIED = _header(
    "The latest change to a published concept (absent while there is none); "
    "send it back in If-Modified-Since.",
    required=False,
)

ERRORS = {
    "400": _json_response(
        "A parameter is unknown, given more than once, or breaks its rule", "Error"
    ),
    "403": _json_response(
        "Intranet mode (GLOSSARY_REQUIRE_LOGIN) and no signed-in session", "Error"
    ),
}


NO_SUCH_DOMAIN = _json_response("No domain with published concepts has this slug", "Error")


def openapi_document():
    languages = content_languages()
    concept = {**CONCEPT, "properties": {**CONCEPT["properties"]}}
    concept["properties"]["languages"] = {
        **CONCEPT["properties"]["languages"],
        "properties": {
            code: {"$ref": "#/components/schemas/LanguageContent"} for code in languages
        },
    }
    domain = {**DOMAIN, "properties": {**DOMAIN["properties"]}}
    domain["properties"]["names"] = {
        **DOMAIN["properties"]["names"],
        "properties": {code: {"type": "string", "minLength": 1} for code in languages},
    }
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Glossary API",
            "version": "1",
            "description": "Read-only access to the published glossary. Only GET and HEAD "
            "are served (any other method is a 405). Every parameter is checked: an unknown "
            "one, one given twice, an empty value where the schema allows none, or a value "
            "out of its bounds is a 400 naming it. Every answer, errors included, is JSON; "
            "an error is an `Error` object. With intranet mode on, requests need a "
            "signed-in session (a 403 otherwise). Responses carry ETag and, for the list, "
            "Last-Modified: send If-None-Match or If-Modified-Since to poll cheaply (304); "
            "renaming a domain changes the ETags only. Domains group the concepts: "
            "`/api/domains/` lists those holding published concepts, `domain` narrows the "
            "list and the search to one. Drafts, and domains whose concepts are all drafts, "
            "are never shown.",
        },
        "paths": {
            "/api/concepts/": {
                "get": {
                    "operationId": "listConcepts",
                    "summary": "Published concepts, by slug, paginated",
                    "parameters": [p.describe() for p in concepts_parameters()],
                    "responses": {
                        "200": _json_response(
                            "A page of concepts",
                            "ConceptPage",
                            {"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
                        ),
                        "304": {
                            "description": "Not modified since the given ETag or date",
                            "headers": {"ETag": ETAG},
                        },
                        **ERRORS,
                        "404": _json_response(
                            "No such page, or no domain with published concepts has this slug",
                            "Error",
                        ),
                    },
                }
            },
            "/api/concepts/{slug}/": {
                "get": {
                    "operationId": "getConcept",
                    "summary": "One published concept",
                    "parameters": [SLUG.describe()] + [p.describe() for p in concept_parameters()],
                    "responses": {
                        "200": _json_response("The concept", "Concept", {"ETag": ETAG}),
                        "304": {
                            "description": "Not modified since the given ETag",
                            "headers": {"ETag": ETAG},
                        },
                        **ERRORS,
                        "404": _json_response("No published concept has this slug", "Error"),
                    },
                }
            },
            "/api/search/": {
                "get": {
                    "operationId": "search",
                    "summary": "Search, ranked as on the search page",
                    "parameters": [p.describe() for p in search_parameters()],
                    "responses": {
                        "200": _json_response("Ranked results", "SearchResults"),
                        **ERRORS,
                        "404": NO_SUCH_DOMAIN,
                    },
                }
            },
            "/api/domains/": {
                "get": {
                    "operationId": "listDomains",
                    "summary": "The domains that hold published concepts, by slug, with their "
                    "counts; a small list, not paginated",
                    "parameters": [p.describe() for p in domains_parameters()],
                    "responses": {
                        "200": _json_response("Every domain", "DomainList", {"ETag": ETAG}),
                        "304": {
                            "description": "Not modified since the given ETag",
                            "headers": {"ETag": ETAG},
                        },
                        **ERRORS,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "LanguageContent": LANGUAGE_CONTENT,
                "DomainLink": DOMAIN_LINK,
                "Concept": concept,
                "Domain": domain,
                "DomainList": DOMAIN_LIST,
                "ConceptPage": CONCEPT_PAGE,
                "SearchResults": SEARCH_RESULTS,
                "Error": ERROR,
            },
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": "The session of a user signed in at /<lang>/sign-in/ "
                    "(or by the single sign-on proxy); needed in intranet mode only.",
                }
            },
        },
    }
    if settings.GLOSSARY_REQUIRE_LOGIN:
        document["security"] = [{"session": []}]
    return document

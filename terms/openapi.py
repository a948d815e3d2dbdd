"""The OpenAPI 3.1 description of the read-only JSON API, served at /api/openapi.json."""

from terms.models import content_languages

LANGUAGE_CONTENT = {
    "type": "object",
    "required": ["term", "acronyms", "variants", "definition"],
    "additionalProperties": False,
    "properties": {
        "term": {"type": "string", "description": "Preferred wording; empty if untranslated."},
        "acronyms": {"type": "array", "items": {"type": "string"}},
        "variants": {"type": "array", "items": {"type": "string"}},
        "definition": {
            "type": "string",
            "description": "Plain text; paragraphs split by a blank line.",
        },
    },
}

CONCEPT = {
    "type": "object",
    "required": ["slug", "url", "updated_at", "languages", "see_also", "mentions"],
    "additionalProperties": False,
    "properties": {
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
        "url": {
            "type": "string",
            "description": "The public term page, in the requested language.",
        },
        "updated_at": {"type": "string", "format": "date-time"},
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
                "required": ["slug", "term", "acronyms", "other_terms", "untranslated", "url"],
                "additionalProperties": False,
                "properties": {
                    "slug": {"type": "string"},
                    "term": {"type": "string"},
                    "acronyms": {"type": "array", "items": {"type": "string"}},
                    "other_terms": {"type": "array", "items": {"type": "string"}},
                    "untranslated": {"type": "boolean"},
                    "url": {"type": "string"},
                },
            },
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}


def _parameter(name, description, schema=None):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _json_response(description, schema_name):
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def openapi_document():
    languages = content_languages()
    concept = {**CONCEPT, "properties": {**CONCEPT["properties"]}}
    concept["properties"]["languages"] = {
        **CONCEPT["properties"]["languages"],
        "properties": {
            code: {"$ref": "#/components/schemas/LanguageContent"} for code in languages
        },
    }
    lang = _parameter(
        "lang", "Language of URLs and labels; default the first.", {"enum": languages}
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Glossary API",
            "version": "1",
            "description": "Read-only access to the published glossary. With intranet mode "
            "on, requests need a signed-in session. Responses carry an ETag and Last-Modified "
            "header: send If-None-Match or If-Modified-Since to poll cheaply (304).",
        },
        "paths": {
            "/api/concepts/": {
                "get": {
                    "summary": "Published concepts, by slug, paginated",
                    "parameters": [
                        lang,
                        _parameter(
                            "letter",
                            "Only concepts whose term in `lang` files under a letter (A-Z, 0-9).",
                        ),
                        _parameter(
                            "updated_since",
                            "Only concepts changed after this ISO 8601 date-time.",
                            {"type": "string", "format": "date-time"},
                        ),
                        _parameter(
                            "page", "Page number, from 1.", {"type": "integer", "minimum": 1}
                        ),
                        _parameter(
                            "page_size",
                            "Concepts per page (1-500, default 100).",
                            {"type": "integer", "minimum": 1, "maximum": 500},
                        ),
                    ],
                    "responses": {
                        "200": _json_response("A page of concepts", "ConceptPage"),
                        "304": {"description": "Not modified since the given ETag or date"},
                        "400": _json_response("A parameter is invalid", "Error"),
                        "404": _json_response("No such page", "Error"),
                    },
                }
            },
            "/api/concepts/{slug}/": {
                "get": {
                    "summary": "One published concept",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        lang,
                    ],
                    "responses": {
                        "200": _json_response("The concept", "Concept"),
                        "304": {"description": "Not modified since the given ETag"},
                        "404": {"description": "No published concept has this slug"},
                    },
                }
            },
            "/api/search/": {
                "get": {
                    "summary": "Search, ranked as on the search page",
                    "parameters": [
                        _parameter("q", "The query (at most 200 characters are used)."),
                        lang,
                        _parameter(
                            "limit",
                            "Results (1-20, default 8).",
                            {"type": "integer", "minimum": 1, "maximum": 20},
                        ),
                    ],
                    "responses": {"200": _json_response("Ranked results", "SearchResults")},
                }
            },
        },
        "components": {
            "schemas": {
                "LanguageContent": LANGUAGE_CONTENT,
                "Concept": concept,
                "ConceptPage": CONCEPT_PAGE,
                "SearchResults": SEARCH_RESULTS,
                "Error": ERROR,
            }
        },
    }

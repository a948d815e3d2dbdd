"""The read-only JSON API, checked against its own OpenAPI description."""

import json

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from terms.models import Concept, Domain, Status
from terms.openapi import openapi_document
from terms.writer import import_file
from tests.conftest import make_concept
from tests.depth import DOMAIN_NAMES, PUBLISHED_COUNTS, deepen_seed


@pytest.fixture
def api():
    return Client()


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def validate(data, schema_name):
    # Not the served copy, which intranet mode keeps from anonymous clients.
    document = json.loads(json.dumps(openapi_document()))
    schema = {"$ref": f"#/components/schemas/{schema_name}", **document}
    jsonschema.validate(data, schema)


@pytest.mark.django_db
def test_concept_list_is_paginated_and_matches_the_openapi_description(api, seed):
    response, data = get_json(api, "/api/concepts/", page_size=10)
    assert response.status_code == 200
    validate(data, "ConceptPage")
    assert (data["count"], data["pages"], len(data["results"])) == (39, 4, 10)
    assert data["next"].endswith("page=2&page_size=10") or "page=2" in data["next"]
    assert data["previous"] is None
    assert [c["slug"] for c in data["results"]] == sorted(c["slug"] for c in data["results"])


@pytest.mark.django_db
def test_concept_detail_has_both_languages_links_and_mentions(api, seed):
    _, data = get_json(api, "/api/concepts/representante-sedentaire/", lang="en")
    validate(data, "Concept")
    assert data["url"] == "/en/terms/representante-sedentaire/"
    assert data["languages"]["fr"]["term"] == "Représentant·e sédentaire"
    assert data["languages"]["en"]["acronyms"] == ["ISR"]
    assert {"chargee-de-compte", "chargee-de-developpement-de-marche"} <= set(data["mentions"])
    _, linked = get_json(api, "/api/concepts/interaction-indirecte/")
    assert linked["see_also"] == ["asynchrone"]


@pytest.mark.django_db
def test_drafts_and_unknown_slugs_are_404(api, seed):
    Concept.objects.filter(slug="hybride").update(status=Status.DRAFT)
    assert api.get("/api/concepts/hybride/").status_code == 404
    assert api.get("/api/concepts/nope/").status_code == 404
    _, data = get_json(api, "/api/concepts/", page_size=500)
    assert "hybride" not in [c["slug"] for c in data["results"]]


@pytest.mark.django_db
def test_filters_by_letter_and_update_time(api, seed):
    _, data = get_json(api, "/api/concepts/", letter="v", lang="fr")
    assert {c["languages"]["fr"]["term"][0] for c in data["results"]} == {"V"}
    future = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    _, data = get_json(api, "/api/concepts/", updated_since=future)
    assert data["count"] == 0
    response, data = get_json(api, "/api/concepts/", updated_since="yesterday")
    assert response.status_code == 400
    validate(data, "Error")
    response, _ = get_json(api, "/api/concepts/", page=99)
    assert response.status_code == 404


@pytest.mark.django_db
def test_clients_poll_cheaply_with_etags(api, seed):
    response = api.get("/api/concepts/")
    etag = response["ETag"]
    assert response["Last-Modified"]
    assert api.get("/api/concepts/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    concept = Concept.objects.get(slug="hybride")
    concept.save()
    assert api.get("/api/concepts/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    detail = api.get("/api/concepts/hybride/")
    assert api.get("/api/concepts/hybride/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


@pytest.mark.django_db
def test_search_endpoint_matches_its_description(api, seed):
    _, data = get_json(api, "/api/search/", q="onbording", lang="fr")
    validate(data, "SearchResults")
    assert data["results"][0]["slug"] == "integration"


def glossary_in_domains(size):
    """`size` published concepts spread over three domains, a draft in each, and the
    queries each API request runs on them."""
    slugs = []
    for number in range(size):
        slugs.append(f"c{number}")
        make_concept(f"c{number}", fr=f"Concept {number}", en=f"Concept {number}")
    rows = "".join(f"c{n},d{n % 3} | all\n" for n in range(size))
    assert import_file(f"slug,domains\n{rows}".encode(), file_name="d.csv").ok
    make_concept("brouillon", fr="Brouillon", status=Status.DRAFT)
    client = Client()
    counts = {}
    for url in (
        "/api/concepts/",
        "/api/concepts/?domain=d1",
        "/api/concepts/c1/",
        "/api/domains/",
        "/api/search/?q=concept&domain=d2&limit=2",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.django_db
def test_api_query_count_is_flat():
    small = glossary_in_domains(10)
    # The list: etag (concepts, domains), count, page, texts, see-also, mentions, domains.
    assert small["/api/concepts/"] == 8
    Concept.objects.all().delete()
    assert glossary_in_domains(100) == small


def test_cors_is_off_by_default(api, db):
    response = api.get("/api/concepts/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


def error_of(response, status):
    """The JSON error of a response, after checking it is one as described."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    validate(data, "Error")
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=null&page=null", "page"),  # once a 500
        ("page=1&page=2", "page"),
        ("lang=de", "lang"),  # once served in French
        ("lang=", "lang"),
        ("page_size=501", "page_size"),  # once 200
        ("page_size=0", "page_size"),
        ("page=0", "page"),  # once a 404
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("page=%EF%BC%91", "page"),  # a full-width digit, which int() would take
        ("updated_since=2026-01-01", "updated_since"),  # once 200
        ("updated_since=2026-01-01T00:00:00", "updated_since"),  # no time zone
        ("updated_since=2026-02-30T00:00:00Z", "updated_since"),
        ("letter=AB", "letter"),
        ("letter=", "letter"),
        ("language=en", "language"),  # not a parameter: never silently ignored
    ],
)
def test_an_invalid_concept_list_parameter_is_a_400_naming_it(api, query, parameter):
    data = error_of(api.get(f"/api/concepts/?{query}"), 400)
    assert (data["code"], data["parameter"]) == ("invalid_parameter", parameter)
    assert parameter in data["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "parameter"),
    [("limit=0", "limit"), ("limit=abc", "limit"), ("limit=21", "limit"), ("q=a&q=b", "q")],
)
def test_an_invalid_search_parameter_is_a_400_naming_it(api, query, parameter):
    data = error_of(api.get(f"/api/search/?{query}"), 400)
    assert (data["code"], data["parameter"]) == ("invalid_parameter", parameter)


@pytest.mark.django_db
def test_the_bounds_themselves_are_accepted(api, seed):
    assert api.get("/api/concepts/", {"page_size": 500, "page": 1}).status_code == 200
    assert api.get("/api/concepts/", {"page_size": 1, "page": 39}).status_code == 200
    for limit in (1, 20):
        assert api.get("/api/search/", {"q": "vente", "limit": limit}).status_code == 200
    _, data = get_json(api, "/api/concepts/", lang="en", letter="0-9")
    assert data["count"] == 0


@pytest.mark.django_db
def test_the_error_says_what_the_rule_is(api):
    message = error_of(api.get("/api/concepts/?lang=de", HTTP_ACCEPT_LANGUAGE="en"), 400)["error"]
    assert message == "lang must be one of the glossary’s languages: fr, en."
    message = error_of(api.get("/api/search/?limit=abc", HTTP_ACCEPT_LANGUAGE="en"), 400)["error"]
    assert message == "limit must be a whole number from 1 to 20."


@pytest.mark.django_db
def test_errors_speak_the_clients_language_french_by_default(api):
    message = error_of(api.get("/api/search/?limit=0"), 400)["error"]
    assert message == "limit doit être un nombre entier de 1 à 20."
    english = error_of(api.get("/api/search/?limit=0", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert english["error"] == "limit must be a whole number from 1 to 20."


@pytest.mark.django_db
def test_updated_since_takes_an_rfc_3339_date_time_with_its_time_zone(api, seed):
    for value in ("2000-01-01T00:00:00Z", "2000-01-01t00:00:00.5z", "2000-01-01T01:00:00+01:00"):
        _, data = get_json(api, "/api/concepts/", updated_since=value)
        assert data["count"] == 39, value
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    _, data = get_json(api, "/api/concepts/", updated_since=tomorrow.isoformat())
    assert data["count"] == 0
    # Still RFC 3339, though Python cannot hold them: the earliest and latest instants.
    _, data = get_json(api, "/api/concepts/", updated_since="0001-01-01T00:00:00+23:59")
    assert data["count"] == 39
    _, data = get_json(api, "/api/concepts/", updated_since="9999-12-31T23:59:60-23:59")
    assert data["count"] == 0


@pytest.mark.django_db
def test_an_unencoded_plus_in_updated_since_gets_a_hint(api):
    # What `?updated_since=2026-01-01T10:00:00+01:00` typed as is becomes on the server.
    response = api.get("/api/concepts/?updated_since=2026-01-01T10:00:00+01:00")
    data = error_of(response, 400)
    assert data["parameter"] == "updated_since" and "%2B" in data["error"]


@pytest.mark.django_db
def test_a_page_past_the_last_is_a_json_404_naming_page(api, seed):
    data = error_of(api.get("/api/concepts/", {"page": 5, "page_size": 10}), 404)
    assert (data["code"], data["parameter"]) == ("not_found", "page")
    error_of(api.get("/api/concepts/", {"page": "9" * 40}), 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/concepts/nope/",
        "/api/concepts/not%20a%20slug/",
        "/api/concepts/nul%00/",
        "/api/nope/",
        "/api/",
        "/api/concepts/hybride/extra/",
    ],
)
def test_everything_unknown_under_api_is_a_json_404(api, seed, url):
    assert error_of(api.get(url), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_a_draft_is_a_json_404(api, draft_concept):
    assert error_of(api.get("/api/concepts/brouillon/"), 404)["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize(
    "url", ["/api/concepts/", "/api/concepts/hybride/", "/api/search/", "/api/domains/"]
)
def test_other_methods_are_a_json_405_listing_get_and_head(seed, method, url):
    # No CSRF token, as a script would send: a 405 all the same, never a CSRF 403 page.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url)
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_head_is_answered_like_get(api, seed):
    response = api.head("/api/concepts/hybride/")
    assert response.status_code == 200 and response["ETag"]


@pytest.mark.django_db
def test_an_invalid_request_is_never_a_304_and_an_error_has_no_etag(api, seed):
    etag = api.get("/api/concepts/")["ETag"]
    response = api.get("/api/concepts/?page=0", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 400 and "ETag" not in response
    response = api.get("/api/concepts/?page=9", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404
    assert "ETag" not in response and "Last-Modified" not in response


@pytest.mark.django_db
def test_a_fault_of_ours_is_a_json_500(seed, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("terms.api.glossary_search.search", broken)
    response = Client(raise_request_exception=False).get("/api/search/?q=vente")
    assert error_of(response, 500)["code"] == "server_error"


@pytest.mark.django_db
def test_intranet_mode_gives_scripts_a_json_403_not_a_sign_in_page(settings, seed, employee):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    client = Client()
    urls = ("/api/concepts/", "/api/concepts/hybride/", "/api/domains/", "/api/openapi.json")
    for url in (*urls, "/api/nope/"):
        assert error_of(client.get(url), 403)["code"] == "sign_in_required", url
    client.force_login(employee)
    assert client.get("/api/concepts/hybride/").status_code == 200
    document = json.loads(client.get("/api/openapi.json").content)
    assert document["security"] == [{"session": []}]


@pytest.mark.django_db
def test_the_description_names_every_bound_the_api_enforces(api):
    document = json.loads(api.get("/api/openapi.json").content)
    parameters = {
        (path, parameter["name"]): parameter["schema"]
        for path, item in document["paths"].items()
        for parameter in item["get"]["parameters"]
    }
    assert parameters["/api/concepts/", "page"] == {"type": "integer", "minimum": 1, "default": 1}
    assert parameters["/api/concepts/", "page_size"]["maximum"] == 500
    assert parameters["/api/search/", "limit"] | {"default": 8} == {
        "type": "integer", "minimum": 1, "maximum": 20, "default": 8,
    }  # fmt: skip
    assert parameters["/api/search/", "lang"]["enum"] == ["fr", "en"]
    assert parameters["/api/concepts/", "updated_since"]["format"] == "date-time"
    for path in ("/api/concepts/", "/api/search/"):
        assert parameters[path, "domain"] == {
            "type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 100,
        }  # fmt: skip
    assert "security" not in document  # intranet mode is off


# -- terminology depth: domains, wordings to avoid, notes, sources ------------------------


@pytest.fixture
def deep_seed(seed):
    deepen_seed()


@pytest.mark.django_db
def test_a_concept_has_its_domains_and_per_language_wordings_to_avoid_notes_and_sources(
    api, deep_seed
):
    _, data = get_json(api, "/api/concepts/vente-sedentaire/")
    validate(data, "Concept")
    assert data["domains"] == [
        {
            "slug": "ways-of-selling",
            "name": "Façons de vendre",
            "url": "/fr/domains/ways-of-selling/",
        }
    ]
    french, english = data["languages"]["fr"], data["languages"]["en"]
    assert french["deprecated"] == ["Télévente"]
    assert french["note"] == "Ne dites pas « télévente »."
    assert french["source"] == "Playbook commercial 2025"
    assert english["deprecated"] == ["Telesales", "Phone sales"]
    assert english["source"] == "https://example.com/playbook-2025"
    # Never a name: the wordings to avoid are neither the term nor a variant.
    assert french["term"] == "Vente sédentaire" and french["variants"] == ["Vente interne"]


@pytest.mark.django_db
def test_domain_names_follow_the_requested_language_with_the_fallback_rule(api, deep_seed):
    _, data = get_json(api, "/api/concepts/taux-d-attrition/", lang="en")
    assert data["domains"] == [
        # No English name: the French one.
        {
            "slug": "customer-lifecycle",
            "name": "Cycle de vie client",
            "url": "/en/domains/customer-lifecycle/",
        },
        {"slug": "metrics", "name": "Metrics", "url": "/en/domains/metrics/"},
    ]
    _, data = get_json(api, "/api/concepts/hybride/")
    assert data["domains"] == []  # in no domain
    assert data["languages"]["fr"]["deprecated"] == []
    assert (data["languages"]["fr"]["note"], data["languages"]["fr"]["source"]) == ("", "")


@pytest.mark.django_db
def test_the_domain_list_has_each_public_domain_with_its_names_and_published_count(api, deep_seed):
    response, data = get_json(api, "/api/domains/", lang="en")
    assert response.status_code == 200 and response["ETag"]
    validate(data, "DomainList")
    assert {d["slug"]: d["count"] for d in data["results"]} == PUBLISHED_COUNTS
    assert data["count"] == len(PUBLISHED_COUNTS)
    assert [d["slug"] for d in data["results"]] == sorted(PUBLISHED_COUNTS)  # by slug
    roles = next(d for d in data["results"] if d["slug"] == "roles")
    assert roles == {
        "slug": "roles",
        "name": "Roles",
        "names": DOMAIN_NAMES["roles"],
        "url": "/en/domains/roles/",
        # The draft in it is not counted.
        "count": 2,
    }
    lifecycle = next(d for d in data["results"] if d["slug"] == "customer-lifecycle")
    assert lifecycle["names"] == {"fr": "Cycle de vie client"}


@pytest.mark.django_db
def test_the_domain_list_answers_its_etag_with_a_304(api, deep_seed):
    etag = api.get("/api/domains/")["ETag"]
    assert api.get("/api/domains/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get("/api/domains/?lang=en", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_the_concept_list_and_search_keep_one_domains_concepts(api, deep_seed):
    _, data = get_json(api, "/api/concepts/", domain="roles")
    validate(data, "ConceptPage")
    assert [c["slug"] for c in data["results"]] == [
        "chargee-de-compte",
        "responsable-de-la-reussite-client",
    ]
    _, everywhere = get_json(api, "/api/search/", q="chargé")
    assert len(everywhere["results"]) > 1
    _, data = get_json(api, "/api/search/", q="chargé", domain="roles")
    validate(data, "SearchResults")
    assert [r["slug"] for r in data["results"]] == ["chargee-de-compte"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/concepts/", "/api/search/?q=poste"])
@pytest.mark.parametrize("domain", ["nope", "secret-project"])
def test_an_unknown_domain_or_one_with_only_drafts_is_a_404_naming_domain(
    api, deep_seed, url, domain
):
    separator = "&" if "?" in url else "?"
    data = error_of(api.get(f"{url}{separator}domain={domain}"), 404)
    assert (data["code"], data["parameter"]) == ("not_found", "domain")
    assert domain in data["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/concepts/", "/api/search/"])
@pytest.mark.parametrize("value", ["", "a b", "r%C3%B4les", "x" * 101])
def test_a_domain_that_cannot_be_a_slug_is_a_400_naming_domain(api, url, value):
    data = error_of(api.get(f"{url}?domain={value}"), 400)
    assert (data["code"], data["parameter"]) == ("invalid_parameter", "domain")


@pytest.mark.django_db
def test_the_api_shows_no_draft_nor_a_domain_only_drafts_belong_to(api, deep_seed):
    _, data = get_json(api, "/api/concepts/", page_size=500)
    assert "poste-secret" not in [c["slug"] for c in data["results"]]
    assert "secret-project" not in json.dumps(data)
    _, domains = get_json(api, "/api/domains/")
    assert "secret-project" not in [d["slug"] for d in domains["results"]]
    _, found = get_json(api, "/api/search/", q="poste secret")
    assert found["results"] == []
    # Published, the concept brings its domains into the API.
    Concept.objects.filter(slug="poste-secret").update(status=Status.PUBLISHED)
    _, domains = get_json(api, "/api/domains/")
    assert {d["slug"]: d["count"] for d in domains["results"]}["secret-project"] == 1


@pytest.mark.django_db
def test_renaming_a_domain_changes_the_etags_of_what_shows_its_name(api, deep_seed):
    urls = ["/api/concepts/", "/api/concepts/chargee-de-compte/", "/api/domains/"]
    etags = {url: api.get(url)["ETag"] for url in urls}
    Domain.objects.filter(slug="roles").update(names={"fr": "Métiers", "en": "Jobs"})
    for url in urls:
        response = api.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert response.status_code == 200, url
        assert "Métiers" in response.content.decode(), url


@pytest.mark.django_db
def test_a_search_by_a_wording_to_avoid_says_which_wording_it_was(api, deep_seed):
    _, data = get_json(api, "/api/search/", q="télévente")
    validate(data, "SearchResults")
    first = data["results"][0]
    assert (first["slug"], first["term"], first["avoided"]) == (
        "vente-sedentaire",
        "Vente sédentaire",
        "Télévente",
    )
    _, data = get_json(api, "/api/search/", q="vente sédentaire")
    assert data["results"][0]["avoided"] == ""  # its own name: nothing to avoid

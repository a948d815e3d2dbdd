"""The read-only JSON API, checked against its own OpenAPI description."""

import json

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from terms.models import Concept, Status
from tests.conftest import make_concept


@pytest.fixture
def api():
    return Client()


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def validate(data, schema_name):
    document = json.loads(Client().get("/api/openapi.json").content)
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


@pytest.mark.django_db
def test_api_query_count_is_flat(api, django_assert_max_num_queries):
    for number in range(30):
        make_concept(f"c{number}", fr=f"Concept {number}", en=f"Concept {number}")
    # etag, last-modified, count, page, texts, see-also, mentions
    with django_assert_max_num_queries(7):
        assert api.get("/api/concepts/").status_code == 200


def test_cors_is_off_by_default(api, db):
    response = api.get("/api/concepts/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response

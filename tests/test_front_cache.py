"""Cached pages served to anonymous readers before the middleware runs: as cheap as a static
file, never to anyone whose page could differ, with every header a page has."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terms import caching
from terms.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def served_from_the_front(client, url, **headers):
    """Whether the page came from the front cache: the layers behind it never ran."""
    calls = []
    original = caching.FrontPageCacheMiddleware.__call__

    def spying(self, request):
        inner, behind = self.get_response, []
        self.get_response = lambda request: behind.append(request) or inner(request)
        try:
            response = original(self, request)
        finally:
            self.get_response = inner
        calls.append("front" if not behind else "behind")
        return response

    caching.FrontPageCacheMiddleware.__call__ = spying
    try:
        response = client.get(url, **headers)
    finally:
        caching.FrontPageCacheMiddleware.__call__ = original
    return response, calls == ["front"]


def test_a_second_anonymous_visit_is_served_before_the_middleware_with_its_headers(reader, seed):
    first, front = served_from_the_front(reader, "/fr/terms/hybride/")
    assert not front
    with CaptureQueriesContext(connection) as queries:
        second, front = served_from_the_front(reader, "/fr/terms/hybride/")
    assert front and len(queries) == 1  # the glossary generation
    assert second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert second[header] == first[header], header
    assert second["X-Content-Type-Options"] == "nosniff"  # added on the way out, as always


def test_an_edit_is_seen_at_once(reader, seed):
    reader.get("/fr/terms/hybride/")
    Concept.objects.filter(slug="hybride").update(status="draft")
    from terms.models import GlossaryState

    GlossaryState.bump()
    assert reader.get("/fr/terms/hybride/").status_code == 404


def test_a_signed_in_reader_or_an_editor_never_gets_the_anonymous_page(
    reader, seed, employee, editor
):
    reader.get("/fr/terms/hybride/")
    for user in (employee, editor):
        client = Client()
        client.force_login(user)
        response, front = served_from_the_front(client, "/fr/terms/hybride/")
        assert not front and "Se déconnecter" in response.content.decode()
    editor_client = Client()
    editor_client.force_login(editor)
    assert "/admin/terms/concept/" in editor_client.get("/fr/terms/hybride/").content.decode()


def test_rdf_clients_get_rdf_not_the_cached_html(reader, seed):
    reader.get("/fr/terms/hybride/")
    response, front = served_from_the_front(reader, "/fr/terms/hybride/", HTTP_ACCEPT="text/turtle")
    assert not front and response["Content-Type"].startswith("text/turtle")


def test_intranet_mode_sends_anonymous_readers_to_sign_in_even_for_a_cached_page(
    reader, seed, settings
):
    reader.get("/fr/terms/hybride/")
    settings.GLOSSARY_REQUIRE_LOGIN = True
    response, front = served_from_the_front(reader, "/fr/terms/hybride/")
    assert not front and response.status_code == 302


def test_single_sign_on_readers_are_never_served_from_the_front(reader, seed, single_sign_on):
    reader.get("/fr/terms/hybride/")
    response, front = served_from_the_front(
        Client(HTTP_X_REMOTE_USER="rachel"), "/fr/terms/hybride/"
    )
    assert not front and "Se déconnecter" in response.content.decode()


def test_a_page_that_sets_a_cookie_is_never_kept_for_the_front(reader, seed):
    reader.get("/fr/suggest/")  # a form: a CSRF cookie
    _response, front = served_from_the_front(Client(), "/fr/suggest/")
    assert not front


def test_a_gzip_reader_and_a_plain_one_each_get_their_own_print_page(reader, seed):
    plain = reader.get("/fr/print/")
    zipped = reader.get("/fr/print/", HTTP_ACCEPT_ENCODING="gzip")
    again_plain, front = served_from_the_front(reader, "/fr/print/")
    assert front and again_plain.content == plain.content
    again_zipped, front = served_from_the_front(reader, "/fr/print/", HTTP_ACCEPT_ENCODING="gzip")
    assert front and again_zipped["Content-Encoding"] == "gzip"
    assert again_zipped.content == zipped.content


def test_a_page_this_worker_served_costs_no_round_trip_to_the_shared_cache(
    reader, seed, monkeypatch
):
    first = reader.get("/fr/terms/hybride/")
    reads = []
    original_get = caching.cache.get
    monkeypatch.setattr(
        caching.cache, "get", lambda *a, **k: reads.append(a) or original_get(*a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        second = reader.get("/fr/terms/hybride/")
    assert reads == [] and len(queries) == 1  # the glossary generation only
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    # Each reader gets a response of its own: headers added on the way out stay off the page kept.
    second["X-Test"] = "mine"
    assert "X-Test" not in reader.get("/fr/terms/hybride/")


def test_the_pages_a_worker_keeps_never_outlive_a_change_nor_its_memory_budget(reader, seed):
    from terms.models import GlossaryState

    reader.get("/fr/terms/hybride/")
    Concept.objects.filter(slug="hybride").update(status="draft")
    GlossaryState.bump()
    assert reader.get("/fr/terms/hybride/").status_code == 404

    pages = caching.RecentPages(budget=100, largest=60)
    for key in ("a", "b", "c"):
        pages.keep(1, key, HttpResponse(b"x" * 40))  # generation 1 not read yet: nothing kept
    assert pages.get(1, "a") is None
    for key in ("a", "b", "c"):
        pages.keep(1, key, HttpResponse(b"x" * 40))
    assert pages.get(1, "a") is None  # the oldest went out first
    assert pages.get(1, "c").response().content == b"x" * 40
    pages.keep(1, "huge", HttpResponse(b"x" * 61))
    assert pages.get(1, "huge") is None  # larger than a page kept may be
    assert pages.get(2, "c") is None and pages.get(1, "c") is None  # a new generation empties it

"""Security by default: headers, intranet mode, login throttling, hostile input."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import make_concept


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.mark.django_db
def test_reader_pages_forbid_inline_scripts_and_framing(seed):
    response = Client().get("/fr/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_intranet_mode_requires_sign_in_for_pages_and_api(settings, seed, employee):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    client = Client()
    for url, sign_in in (
        ("/fr/", "/fr/sign-in/?next=/fr/"),
        ("/en/terms/hybride/", "/en/sign-in/?next=/en/terms/hybride/"),
        ("/fr/search/?q=ae", "/fr/sign-in/?next=/fr/search/%3Fq%3Dae"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == sign_in, url
    # A script cannot fill in a form: the API answers it in JSON (tests/test_api.py).
    assert client.get("/api/search/?q=ae").status_code == 403
    assert client.get("/fr/sign-in/").status_code == 200
    assert client.get("/healthz").status_code == 200
    client.force_login(employee)  # a reader: neither staff nor editor
    assert client.get("/fr/terms/hybride/").status_code == 200
    assert client.get("/api/search/?q=ae").status_code == 200


@pytest.mark.django_db
def test_admin_login_is_throttled_after_repeated_failures(editor):
    client = Client()
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "edith", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "edith", "password": "pw"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_user_text_is_escaped_on_every_page():
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    make_concept(
        "xss",
        fr=f"Terme {attack}",
        en=f"Term {attack}",
        acronyms_fr=[f"AC{attack}"],
        variants_fr=[f"Variante {attack}"],
        definition_fr=f"Définition {attack}",
    )
    client = Client()
    for url in ("/fr/", "/fr/letters/T/", "/fr/letters/V/", "/fr/terms/xss/", "/en/terms/xss/",
                "/fr/search/?q=terme"):  # fmt: skip
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
    # JSON is data, never rendered as HTML: served as JSON, never sniffed.
    response = client.get("/api/search/?q=terme")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_trusted_proxy_header_signs_readers_in(settings, single_sign_on, seed):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    client = Client()
    assert client.get("/fr/terms/hybride/").status_code == 302
    response = client.get("/fr/terms/hybride/", HTTP_X_REMOTE_USER="claire")
    assert response.status_code == 200
    assert client.get("/fr/terms/hybride/").status_code == 200, "the session keeps her in"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example/"])
def test_a_404_for_a_path_naming_another_site_links_only_to_our_pages(seed, path):
    # A browser reads both paths as another site's address: they must never reach a link.
    response = Client().get("/", PATH_INFO=path)
    body = response.content.decode()
    assert response.status_code == 404 and "Page introuvable" in body
    assert "evil.example" not in body
    assert '<link rel="canonical" href="http://testserver/fr/">' in body
    assert 'href="/language/fr/?next=/fr/" hreflang="fr"' in body
    assert 'href="/language/en/?next=/fr/" hreflang="en"' in body


@pytest.mark.django_db
def test_the_language_switch_stays_on_the_same_page_and_keeps_the_search(seed):
    client = Client()
    body = client.get("/fr/terms/hybride/").content.decode()
    assert '<link rel="canonical" href="http://testserver/fr/terms/hybride/">' in body
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/terms/hybride/">' in body
    assert 'href="/language/en/?next=/fr/terms/hybride/" hreflang="en"' in body
    body = client.get("/fr/search/?q=vente").content.decode()
    assert 'href="/language/en/?next=/fr/search/%3Fq%3Dvente" hreflang="en"' in body
    assert client.get("/language/en/?next=/fr/search/%3Fq%3Dvente")["Location"] == (
        "/en/search/?q=vente"
    )
    body = client.get("/en/terms/nope/").content.decode()
    assert 'href="/language/fr/?next=/en/terms/nope/" hreflang="fr"' in body

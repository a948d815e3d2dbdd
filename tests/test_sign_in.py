"""Readers' own sign-in and sign-out in intranet mode; the admin stays for staff."""

import pytest
from django.test import Client


@pytest.fixture
def intranet(settings):
    settings.GLOSSARY_REQUIRE_LOGIN = True


@pytest.fixture
def reader():
    return Client()


@pytest.mark.django_db
def test_it_signs_a_reader_in_in_french_and_takes_them_to_the_page_they_asked_for(
    intranet, reader, seed, employee
):
    response = reader.get("/fr/terms/hybride/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/sign-in/?next=/fr/terms/hybride/"
    page = reader.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and '<html lang="fr">' in body
    assert "<h1>Se connecter</h1>" in body and "Mot de passe" in body
    assert 'name="next" value="/fr/terms/hybride/"' in body
    response = reader.post(
        "/fr/sign-in/", {"username": "rachel", "password": "pw", "next": "/fr/terms/hybride/"}
    )
    assert response.status_code == 302 and response["Location"] == "/fr/terms/hybride/"
    body = reader.get("/fr/terms/hybride/").content.decode()
    assert "Hybride" in body and 'href="/fr/sign-out/"' in body


@pytest.mark.django_db
def test_it_speaks_english_at_its_english_address(intranet, reader, employee):
    response = reader.get("/en/search/?q=ae")
    assert response["Location"] == "/en/sign-in/?next=/en/search/%3Fq%3Dae"
    body = reader.get(response["Location"]).content.decode()
    assert '<html lang="en">' in body and "<h1>Sign in</h1>" in body and "Password" in body


@pytest.mark.django_db
def test_it_shows_the_form_again_with_an_error_for_a_wrong_password(intranet, reader, employee):
    response = reader.post("/fr/sign-in/", {"username": "rachel", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body and "mot de passe valides" in body
    assert reader.get("/fr/").status_code == 302, "still signed out"


@pytest.mark.django_db
def test_it_lands_on_the_index_when_next_points_to_another_site(reader, employee):
    for unsafe in ("//evil.example/", "https://evil.example/", "/\\evil.example/"):
        body = reader.get("/fr/sign-in/", {"next": unsafe}).content.decode()
        assert 'name="next" value=""' in body, unsafe
        response = reader.post(
            "/fr/sign-in/", {"username": "rachel", "password": "pw", "next": unsafe}
        )
        assert response.status_code == 302 and response["Location"] == "/fr/", unsafe
        reader.logout()


@pytest.mark.django_db
def test_it_signs_a_reader_out_with_a_button_naming_them(intranet, reader, seed, employee):
    reader.force_login(employee)
    page = reader.get("/fr/sign-out/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Session ouverte au nom de rachel." in body
    assert 'method="post"' in body and "csrfmiddlewaretoken" in body
    assert reader.get("/fr/terms/hybride/").status_code == 200, "a GET signs no one out"
    body = reader.post("/fr/sign-out/").content.decode()
    assert "Session fermée" in body and 'href="/fr/sign-in/"' in body
    assert reader.get("/fr/terms/hybride/").status_code == 302


@pytest.mark.django_db
def test_only_signed_in_readers_see_the_sign_out_link(reader, seed, employee):
    assert "/fr/sign-out/" not in reader.get("/fr/terms/hybride/").content.decode()
    reader.force_login(employee)
    assert "/fr/sign-out/" in reader.get("/fr/terms/hybride/").content.decode()


@pytest.mark.django_db
def test_the_admin_still_refuses_readers_and_takes_staff(reader, employee, editor):
    response = reader.post("/admin/login/", {"username": "rachel", "password": "pw"})
    assert response.status_code == 200 and 'class="errornote"' in response.content.decode()
    response = reader.post(
        "/admin/login/?next=/admin/", {"username": "edith", "password": "pw", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"

"""Readers suggest a term or report a mistake at /<lang>/suggest/; editors triage the
suggestions in the admin (accept into a draft through the writer, or dismiss with a reason)
and hear of each by e-mail. Robots, floods and HTML get nowhere."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError
from django.test import Client

from terms import history, writer
from terms.models import Concept, Status, Suggestion
from tests.conftest import make_concept
from tests.forms import form_fields, post_data, with_values
from tests.test_admin_french import english_leftovers

SUGGEST = "/fr/suggest/"
ADMIN_LIST = "/admin/terms/suggestion/"
ADDRESS = "203.0.113.7"
MEANING = {
    "term": "Vente croisée",
    "language": "fr",
    "message": "Proposer à un client un produit complémentaire de celui qu’il achète.",
    "name": "Rachel",
    "email": "rachel@example.com",
    "website": "",
}


def reader(address=ADDRESS):
    return Client(REMOTE_ADDR=address)


def suggest(client=None, url=SUGGEST, **changes):
    return (client or reader()).post(url, {**MEANING, **changes})


def suggestion(**fields):
    values = {
        "kind": Suggestion.Kind.NEW_TERM,
        "term": "Vente croisée",
        "language": "fr",
        "message": "Vendre un produit de plus.",
        "sender": "x" * 64,
        **fields,
    }
    return Suggestion.objects.create(**values)


def body(response):
    return response.content.decode()


def admin_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return body(response)


@pytest.fixture
def editor_with_mail(editor):
    editor.email = "edith@example.com"
    editor.save()
    return editor


# -- the reader's form ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_asks_the_term_its_language_its_meaning_and_optionally_who_sends_it():
    response = reader().get(SUGGEST)
    page = body(response)
    assert response.status_code == 200
    assert "<h1>Suggérer un terme</h1>" in page
    for label in ("Terme", "Langue du terme", "Que veut dire ce terme ?"):
        assert label in page
    assert "Votre nom (facultatif)" in page and "Votre adresse e-mail (facultatif)" in page
    assert '<option value="fr" selected>Français</option>' in page
    assert 'maxlength="255"' in page and 'maxlength="2000"' in page
    assert "csrfmiddlewaretoken" in page
    # Never cached: it holds a CSRF token.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert reader().get("/en/suggest/").content.decode().count("<h1>Suggest a term</h1>") == 1


@pytest.mark.django_db
def test_the_honeypot_is_hidden_unreachable_by_keyboard_and_labelled_to_stay_empty():
    page = body(reader().get(SUGGEST))
    trap = re.search(r'<div class="visually-hidden">(.*?)</div>', page, re.S).group(1)
    assert "Laissez ce champ vide" in trap
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", trap).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


@pytest.mark.django_db
def test_a_sent_suggestion_thanks_the_reader_and_keeps_what_they_wrote():
    response = suggest()
    assert response.status_code == 302 and response["Location"] == "/fr/suggest/thanks/"
    thanks = body(reader().get(response["Location"]))
    assert "Merci !" in thanks and "Suggérer un autre terme" in thanks
    sent = Suggestion.objects.get()
    assert (sent.kind, sent.term, sent.language) == ("new", "Vente croisée", "fr")
    assert sent.message == MEANING["message"] and sent.status == "new"
    assert (sent.name, sent.email, sent.user, sent.concept) == (
        "Rachel",
        "rachel@example.com",
        None,
        None,
    )
    # The rate limit's key is a keyed hash, not the reader's address.
    assert ADDRESS not in sent.sender and len(sent.sender) == 64


@pytest.mark.django_db
def test_every_reader_page_offers_to_suggest_a_term_and_a_term_page_to_report_a_mistake(
    published_concept,
):
    home = body(reader().get("/fr/"))
    assert '<a href="/fr/suggest/">Suggérer un terme</a>' in home
    term_page = body(reader().get("/fr/terms/churn/"))
    assert '<span class="report-mistake">· <a href="/fr/suggest/?concept=churn"' in term_page
    assert "Signaler une erreur</a>" in term_page
    assert "Report a mistake</a>" in body(reader().get("/en/terms/churn/"))


@pytest.mark.django_db
def test_reporting_a_mistake_names_the_concept_and_is_kept_with_it(published_concept):
    url = f"{SUGGEST}?concept=churn"
    page = body(reader().get(url))
    assert "<h1>Signaler une erreur</h1>" in page
    assert '<a href="/fr/terms/churn/">Taux d’attrition</a>' in page
    assert "Qu’est-ce qui ne va pas ?" in page
    assert 'value="Taux d’attrition"' in page  # the term, filled in
    response = suggest(url=url, term="Taux d’attrition", message="Il manque le mot « annuel ».")
    assert response["Location"] == "/fr/suggest/thanks/?concept=churn"
    assert "Retour à « Taux d’attrition »" in body(reader().get(response["Location"]))
    sent = Suggestion.objects.get()
    assert (sent.kind, sent.concept) == ("mistake", published_concept)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["brouillon", "nowhere", "x" * 300])
def test_an_unknown_or_draft_concept_gives_the_plain_form_and_tells_nothing(draft_concept, slug):
    page = body(reader().get(f"{SUGGEST}?concept={slug}"))
    assert "<h1>Suggérer un terme</h1>" in page
    assert "Concept en cours" not in page
    suggest(url=f"{SUGGEST}?concept={slug}")
    assert Suggestion.objects.get().concept is None


@pytest.mark.django_db
def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_kept(editor_with_mail):
    response = suggest(website="https://spam.example")
    assert response.status_code == 302 and response["Location"] == "/fr/suggest/thanks/"
    assert not Suggestion.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("term", "T" * 256),
        ("term", "   "),
        ("message", "m" * 2001),
        ("message", ""),
        ("name", "n" * 101),
        ("email", "pas-une-adresse"),
        ("email", "a" * 250 + "@example.com"),
        ("language", "de"),
    ],
)
def test_a_field_too_long_or_wrong_is_said_and_nothing_is_kept(field, value):
    response = suggest(**{field: value})
    assert response.status_code == 200
    assert "Veuillez corriger les champs signalés ci-dessous." in body(response)
    assert 'class="errorlist' in body(response)
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_database_keeps_the_caps_too():
    with pytest.raises(IntegrityError):
        suggestion(message="m" * 2001)


@pytest.mark.django_db
def test_what_a_reader_wrote_comes_back_escaped_in_the_form():
    page = body(suggest(term="<b>gras</b>", message=""))
    assert "&lt;b&gt;gras&lt;/b&gt;" in page and "<b>gras</b>" not in page


# -- floods -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_twenty_suggestions_in_a_minute_from_one_address_are_refused_politely_after_five(
    editor_with_mail,
):
    statuses = [suggest(reader(), term=f"Terme {n}").status_code for n in range(20)]
    assert statuses == [302] * 5 + [429] * 15
    refused = suggest(reader(), term="Terme de trop")
    page = body(refused)
    assert refused["Retry-After"] == "600"
    assert "Merci pour vos suggestions" in page and "attendez 10 minutes" in page
    assert 'value="Terme de trop"' in page  # their text is kept to send later
    assert Suggestion.objects.count() == 5 and len(mail.outbox) == 5
    # Another address is not held back by this one.
    assert suggest(reader("198.51.100.4")).status_code == 302


@pytest.mark.django_db
def test_the_limit_lets_a_reader_send_again_after_ten_minutes(monkeypatch):
    import datetime

    from django.utils import timezone

    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    for n in range(5):
        assert suggest(term=f"Terme {n}").status_code == 302
    assert suggest().status_code == 429
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=11))
    assert suggest().status_code == 302


# -- e-mail -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_get_a_plain_text_email_with_the_link_to_the_suggestion(
    editor_with_mail, staff_outsider, settings
):
    settings.GLOSSARY_BASE_URL = "https://glossaire.example.com"
    staff_outsider.email = "oscar@example.com"
    staff_outsider.save()
    suggest(message="<b>Vendre</b> un produit de plus.")
    (email,) = mail.outbox
    sent = Suggestion.objects.get()
    assert email.to == ["edith@example.com"]  # editors only
    assert email.subject == "Glossaire : un terme suggéré, « Vente croisée »"
    assert email.content_subtype == "plain" and not email.alternatives
    assert "<b>Vendre</b> un produit de plus." in email.body
    assert "Rachel <rachel@example.com>" in email.body
    assert f"https://glossaire.example.com/admin/terms/suggestion/{sent.pk}/change/" in email.body


@pytest.mark.django_db
def test_the_addresses_of_the_settings_replace_the_editors(editor_with_mail, settings):
    settings.GLOSSARY_SUGGESTION_EMAILS = ["ventes@example.com"]
    suggest()
    assert [email.to for email in mail.outbox] == [["ventes@example.com"]]


@pytest.mark.django_db
def test_a_failing_mail_server_loses_the_email_not_the_suggestion(editor_with_mail, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("terms.suggestions.send_mail", refuse)
    assert suggest().status_code == 302
    assert Suggestion.objects.count() == 1


# -- intranet mode ----------------------------------------------------------------------


@pytest.mark.django_db
def test_in_intranet_mode_the_signed_in_reader_sends_it_without_name_or_email(settings, employee):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    assert reader().get(SUGGEST)["Location"].startswith("/fr/sign-in/")
    client = reader()
    client.force_login(employee)
    page = body(client.get(SUGGEST))
    assert 'name="name"' not in page and 'name="email"' not in page
    assert "Envoyé au nom de rachel." in page
    assert client.post(SUGGEST, {**MEANING, "name": "Quelqu’un"}).status_code == 302
    sent = Suggestion.objects.get()
    assert (sent.user, sent.name, sent.email) == (employee, "", "")


@pytest.mark.django_db
def test_signed_in_readers_behind_one_address_are_counted_one_by_one(settings, employee):
    from django.contrib.auth.models import User

    colleague = User.objects.create_user("paul", password="pw")
    first, second = reader(), reader()
    first.force_login(employee)
    second.force_login(colleague)
    assert [suggest(first).status_code for _ in range(6)] == [302] * 5 + [429]
    assert suggest(second).status_code == 302


# -- the admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_html_and_script_a_reader_wrote_show_as_text_in_the_admin(editor_client):
    sent = suggestion(
        term="<b>gras</b>",
        message="<script>alert('x')</script> et <b>gras</b>",
        name="<i>Mallory</i>",
    )
    for url in (ADMIN_LIST, f"{ADMIN_LIST}{sent.pk}/change/", f"{ADMIN_LIST}{sent.pk}/dismiss/"):
        page = admin_page(editor_client, url)
        assert "<script>alert" not in page and "<b>gras</b>" not in page, url
        assert "<i>Mallory</i>" not in page, url
        assert "&lt;b&gt;gras&lt;/b&gt;" in page, url
    change = admin_page(editor_client, f"{ADMIN_LIST}{sent.pk}/change/")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in change


@pytest.mark.django_db
def test_the_list_shows_new_suggestions_first_and_filters_by_status_and_kind(
    editor_client, published_concept, django_assert_max_num_queries
):
    suggestion(term="Ancienne", status="dismissed", dismissal_reason="doublon")
    suggestion(term="Nouvelle")
    suggestion(term="Erreur", kind="mistake", concept=published_concept)
    suggestion(term="Acceptée", status="accepted")
    with django_assert_max_num_queries(12):
        page = admin_page(editor_client, ADMIN_LIST)
    rows = re.findall(r'<th class="field-term"><a [^>]*>([^<]+)</a>', page)
    assert rows[:2] == ["Erreur", "Nouvelle"] and set(rows[2:]) == {"Ancienne", "Acceptée"}
    assert "Taux d’attrition" in page  # the concept a mistake is about
    new = admin_page(editor_client, ADMIN_LIST + "?status__exact=new")
    assert "Ancienne" not in new and "Nouvelle" in new
    mistakes = admin_page(editor_client, ADMIN_LIST + "?kind__exact=mistake")
    assert "Nouvelle" not in mistakes and "Erreur" in mistakes
    assert '<td class="field-language_name">Français</td>' in page
    suggestion(term="Cross-selling", language="en")
    english = admin_page(editor_client, ADMIN_LIST + "?language=en")
    assert "Cross-selling" in english and "Nouvelle" not in english
    for n in range(30):
        suggestion(term=f"Terme {n}", concept=published_concept, kind="mistake")
    with django_assert_max_num_queries(12):
        admin_page(editor_client, ADMIN_LIST)


@pytest.mark.django_db
def test_the_suggestion_pages_speak_french(editor_client, published_concept):
    sent = suggestion(kind="mistake", concept=published_concept)
    pages = {
        "list": admin_page(editor_client, ADMIN_LIST),
        "change": admin_page(editor_client, f"{ADMIN_LIST}{sent.pk}/change/"),
        "dismiss": admin_page(editor_client, f"{ADMIN_LIST}{sent.pk}/dismiss/"),
    }
    assert {name: english_leftovers(page) for name, page in pages.items()} == {
        name: [] for name in pages
    }
    assert "<h1>Suggestions</h1>" in pages["list"] and "à trier" in pages["list"]
    assert "Accepter et corriger le concept" in pages["change"]


@pytest.mark.django_db
def test_accepting_a_suggested_term_makes_a_draft_through_the_writer_with_its_history(
    editor_client, editor
):
    sent = suggestion(message="Vendre un produit complémentaire.")
    response = editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/")
    draft = Concept.objects.get(slug="vente-croisee")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/terms/concept/{draft.pk}/change/"
    assert draft.status == Status.DRAFT
    texts = draft.texts_by_language()
    assert texts["fr"].term == "Vente croisée"
    assert texts["fr"].definition == "Vendre un produit complémentaire."
    (version,) = Concept.history.filter(id=draft.pk)
    assert version.history_user == editor
    assert version.history_change_reason == f"accepted the suggestion {sent.pk}"
    assert history.versions(draft.pk)  # the history the admin shows reads it
    sent.refresh_from_db()
    assert (sent.status, sent.draft, sent.decided_by) == ("accepted", draft, editor)
    message = body(editor_client.get(response["Location"]))
    assert "Suggestion « Vente croisée » acceptée" in message
    assert f"suggestion acceptée n° {sent.pk}" in admin_page(
        editor_client, f"/admin/terms/concept/{draft.pk}/history/"
    )
    # Readers do not see the draft.
    assert reader().get("/fr/terms/vente-croisee/").status_code == 404


@pytest.mark.django_db
def test_an_english_suggestion_becomes_an_english_draft_with_a_french_term_to_translate(
    editor_client, published_concept
):
    make_concept("vente-croisee", fr="Vente croisée")
    sent = suggestion(term="Cross-selling", language="en", message="Selling more.")
    editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/")
    draft = Concept.objects.get(slug="cross-selling")
    texts = draft.texts_by_language()
    assert (texts["en"].term, texts["en"].definition) == ("Cross-selling", "Selling more.")
    assert texts["fr"].term == "Cross-selling"
    # A slug already taken gets a number.
    again = suggestion(term="Vente croisée")
    editor_client.post(f"{ADMIN_LIST}{again.pk}/accept/")
    assert Concept.objects.filter(slug="vente-croisee-2", status=Status.DRAFT).exists()


@pytest.mark.django_db
def test_accepting_a_mistake_opens_the_concept_to_correct_and_makes_nothing_new(
    editor_client, published_concept
):
    sent = suggestion(kind="mistake", concept=published_concept, message="Il manque « annuel ».")
    response = editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/terms/concept/{published_concept.pk}/change/"
    assert "Il manque « annuel »." in body(response)
    assert Concept.objects.count() == 1
    sent.refresh_from_db()
    assert sent.status == "accepted" and sent.draft is None


@pytest.mark.django_db
def test_a_suggestion_is_accepted_once(editor_client):
    sent = suggestion()
    editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/")
    response = editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/", follow=True)
    assert "a déjà été traitée" in body(response)
    assert Concept.objects.count() == 1


@pytest.mark.django_db
def test_the_list_action_accepts_one_into_its_draft_form(editor_client):
    sent = suggestion()
    response = editor_client.post(
        ADMIN_LIST, {"action": "accept_selected", "_selected_action": [sent.pk]}
    )
    draft = Concept.objects.get(slug="vente-croisee")
    assert response["Location"] == f"/admin/terms/concept/{draft.pk}/change/"


@pytest.mark.django_db
def test_dismissing_asks_why_and_keeps_the_reason(editor_client, editor):
    sent = suggestion()
    url = f"{ADMIN_LIST}{sent.pk}/dismiss/"
    page = admin_page(editor_client, url)
    assert "Pourquoi écarter cette suggestion ?" in page
    assert "Indiquez une raison." in body(editor_client.post(url, {"reason": "  "}))
    response = editor_client.post(url, {"reason": "Déjà dans le glossaire : upsell."})
    assert response["Location"] == ADMIN_LIST
    sent.refresh_from_db()
    assert (sent.status, sent.dismissal_reason, sent.decided_by) == (
        "dismissed",
        "Déjà dans le glossaire : upsell.",
        editor,
    )
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_the_list_action_dismisses_several_with_one_reason(editor_client):
    first, second = suggestion(term="Un"), suggestion(term="Deux")
    selection = {"action": "dismiss_selected", "_selected_action": [first.pk, second.pk]}
    page = body(editor_client.post(ADMIN_LIST, selection))
    assert "Pourquoi écarter ces 2 suggestions ?" in page
    fields = with_values(form_fields(page), reason="hors sujet")
    data = {**post_data(fields), "apply": ["Écarter"]}
    editor_client.post(ADMIN_LIST, data)
    assert set(Suggestion.objects.values_list("status", "dismissal_reason")) == {
        ("dismissed", "hors sujet")
    }


@pytest.mark.django_db
def test_the_editors_group_may_triage_and_other_staff_may_not(editor_client, staff_outsider):
    codenames = set(
        Group.objects.get(name="Glossary editors").permissions.values_list("codename", flat=True)
    )
    assert {"view_suggestion", "change_suggestion", "delete_suggestion"} <= codenames
    sent = suggestion()
    outsider = Client()
    outsider.force_login(staff_outsider)
    assert outsider.get(ADMIN_LIST).status_code == 403
    assert outsider.post(f"{ADMIN_LIST}{sent.pk}/accept/").status_code == 403
    assert Suggestion.objects.get().status == "new"
    assert editor_client.get(f"{ADMIN_LIST}add/").status_code == 403  # readers send them


@pytest.mark.django_db
def test_a_concept_deleted_by_the_writer_leaves_its_suggestions_readable(
    editor_client, published_concept
):
    sent = suggestion(kind="mistake", concept=published_concept)
    writer.delete_concepts([published_concept.pk], reason="test")
    assert "(concept supprimé)" in admin_page(editor_client, ADMIN_LIST)
    assert "(concept supprimé)" in admin_page(editor_client, f"{ADMIN_LIST}{sent.pk}/change/")
    # Accepting it now makes a draft of the term, as a suggested term.
    editor_client.post(f"{ADMIN_LIST}{sent.pk}/accept/")
    assert Concept.objects.get().status == Status.DRAFT

"""Domains in the editors' admin: their list and form, the concept list's domain filter,
"Add to the domain…" / "Remove from the domain…", the concept form's boxes, and what a
deleted domain leaves in the concepts' history. Forms are read from the pages and sent back
as a browser sends them."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from terms.models import Concept, Domain, GlossaryState
from tests.forms import form_fields, post_data, with_values
from tests.test_admin import post_import
from tests.test_admin_french import english_leftovers

CHANGELIST = "/admin/terms/concept/"
DOMAINS = "/admin/terms/domain/"


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def send(client, url, **changes):
    """The form at `url` sent back with some fields changed (a list: several values)."""
    fields = with_values(form_fields(page(client, url)))
    data = post_data(fields)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)


def domains_of(slug):
    return {domain.slug for domain in Concept.objects.get(slug=slug).domains.all()}


def reasons(slug):
    return list(
        Concept.history.filter(slug=slug)
        .order_by("history_date", "history_id")
        .values_list("history_change_reason", flat=True)
    )


def select(client, action, *slugs, **extra):
    """The concept list's action form, sent with these concepts ticked."""
    ids = [str(Concept.objects.get(slug=slug).pk) for slug in slugs]
    data = {"action": action, "_selected_action": ids, "index": "0", "select_across": "0"}
    return client.post(CHANGELIST, {**data, **extra})


# -- the domain list and form ----------------------------------------------------------


@pytest.mark.django_db
def test_the_domain_list_shows_each_name_and_links_its_concepts(
    editor_client, seed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):  # session, user, permissions, count, domains…
        body = page(editor_client, DOMAINS)
    assert "Nom (français)" in body and "Nom (anglais)" in body
    assert "Rôles et équipes" in body and "Roles and teams" in body
    assert '<a href="/admin/terms/concept/?domain=roles">13</a>' in body
    listing = page(editor_client, CHANGELIST, domain="roles")
    assert "13 résultats" in listing and "Responsable de la réussite client" in listing


@pytest.mark.django_db
def test_the_domain_search_forgives_accents_and_reads_every_language(editor_client, seed):
    body = page(editor_client, DOMAINS, q="role")
    assert "Rôles et équipes" in body and "Indicateurs" not in body
    body = page(editor_client, DOMAINS, q="METRICS")
    assert "Indicateurs" in body and "Rôles et équipes" not in body


@pytest.mark.django_db
def test_an_editor_adds_a_domain_named_in_both_languages_its_slug_derived(editor_client, seed):
    before = GlossaryState.current()
    response = send(
        editor_client, DOMAINS + "add/", name_fr="  Produits   et offres ", name_en="Products"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    domain = Domain.objects.get(slug="produits-et-offres")
    assert domain.names == {"fr": "Produits et offres", "en": "Products"}
    assert GlossaryState.current() > before, "reader pages list the domains"


@pytest.mark.django_db
def test_a_domain_needs_a_french_name_and_an_identifier_no_other_domain_has(editor_client, seed):
    body = send(editor_client, DOMAINS + "add/", name_en="Products").content.decode()
    assert "Chaque domaine doit avoir un nom en français." in body
    body = send(editor_client, DOMAINS + "add/", name_fr="Rôles").content.decode()
    assert "L’identifiant « roles » est déjà utilisé par le domaine « Rôles et équipes »." in body
    assert Domain.objects.count() == 6


@pytest.mark.django_db
def test_renaming_a_domain_makes_cached_reader_pages_stale_and_changes_no_concept(
    editor_client, seed
):
    roles = Domain.objects.get(slug="roles")
    versions, before = Concept.history.count(), GlossaryState.current()
    response = send(editor_client, f"{DOMAINS}{roles.pk}/change/", name_fr="Rôles")
    assert response.status_code == 302
    assert Domain.objects.get(pk=roles.pk).names == {"fr": "Rôles", "en": "Roles and teams"}
    assert GlossaryState.current() > before
    assert Concept.history.count() == versions, "a domain's name is no concept's content"


@pytest.mark.django_db
def test_deleting_a_domain_confirms_it_and_takes_its_concepts_out_through_the_writer(
    editor_client, editor, seed
):
    domain = Domain.objects.get(slug="marches-et-modeles")
    url = f"{DOMAINS}{domain.pk}/delete/"
    body = page(editor_client, url)
    assert (
        "Domaine : Marchés et modèles économiques — ses concepts (3) le quittent et restent "
        "dans le glossaire" in body
    )
    before = GlossaryState.current()
    assert send(editor_client, url).status_code == 302
    assert not Domain.objects.filter(slug="marches-et-modeles").exists()
    assert Concept.objects.count() == 39
    assert domains_of("revenu-recurrent") == {"indicateurs"}
    assert domains_of("pme-pmi") == set()
    assert GlossaryState.current() > before
    # Each concept it held has a version saying why, by whom.
    latest = Concept.history.filter(slug="pme-pmi").latest("history_date")
    assert latest.history_change_reason == "deleted the domain marches-et-modeles"
    assert latest.history_user == editor
    assert reasons("hybride") == ["import of glossaire-ventes.csv"]


@pytest.mark.django_db
def test_a_concepts_history_stays_readable_and_restorable_after_its_domain_is_deleted(
    editor_client, seed
):
    pme = Concept.objects.get(slug="pme-pmi")
    assert (
        send(
            editor_client, f"{CHANGELIST}{pme.pk}/change/", term_en="Small and medium business"
        ).status_code
        == 302
    )
    domain = Domain.objects.get(slug="marches-et-modeles")
    assert send(editor_client, f"{DOMAINS}{domain.pk}/delete/").status_code == 302
    history = page(editor_client, f"{CHANGELIST}{pme.pk}/history/")
    assert "suppression du domaine « marches-et-modeles »" in history
    assert "Terme (anglais)" in history and "Small and medium business" in history
    # The first version, restored: its texts come back, the deleted domain does not.
    first = Concept.history.filter(id=pme.pk).earliest("history_date")
    version = page(editor_client, f"{CHANGELIST}history-version/{first.history_id}/")
    assert "Restaurer cette version" in version
    response = editor_client.post(f"{CHANGELIST}history-version/{first.history_id}/")
    assert response.status_code == 302
    assert Concept.objects.get(pk=pme.pk).texts_by_language()["en"].term == ""
    assert not Domain.objects.filter(slug="marches-et-modeles").exists()


@pytest.mark.django_db
def test_the_editors_group_may_manage_domains_and_other_staff_may_not(seed, staff_outsider):
    codenames = set(
        Group.objects.get(name="Glossary editors").permissions.values_list("codename", flat=True)
    )
    assert {"add_domain", "change_domain", "delete_domain", "view_domain"} <= codenames
    outsider = Client()
    outsider.force_login(staff_outsider)
    assert outsider.get(DOMAINS).status_code == 403
    assert outsider.post(DOMAINS + "add/", {"name_fr": "Intrus"}).status_code == 403
    assert not Domain.objects.filter(names__fr="Intrus").exists()


# -- the concept form ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_concept_form_offers_the_domains_as_named_boxes_and_saves_them(editor_client, seed):
    url = f"{CHANGELIST}{Concept.objects.get(slug='hybride').pk}/change/"
    body = page(editor_client, url)
    assert 'role="group" aria-label="Domaines"' in body
    labels = re.findall(r'<label for="id_domains_\d+"><input[^>]*>\s*([^<]+?)\s*</label>', body)
    assert labels == [
        "Cycle de vie client",
        "Façons de vendre",
        "Indicateurs",
        "Interactions et outils",
        "Marchés et modèles économiques",
        "Rôles et équipes",
    ]
    ids = [str(Domain.objects.get(slug=slug).pk) for slug in ("indicateurs", "roles")]
    response = send(
        editor_client,
        url,
        domains=ids,
        deprecated_fr="Mixte | Vente mixte",
        note_fr="Dites « hybride ».",
        source_fr="https://intranet.example.com/guide",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert domains_of("hybride") == {"indicateurs", "roles"}
    french = Concept.objects.get(slug="hybride").texts_by_language()["fr"]
    assert french.deprecated == ["Mixte", "Vente mixte"]
    assert french.note == "Dites « hybride »."
    assert french.source == "https://intranet.example.com/guide"


# -- the concept list: filter and actions ------------------------------------------------


@pytest.mark.django_db
def test_the_concept_list_filters_by_domain_and_finds_those_in_none(
    editor_client, seed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        body = page(editor_client, CHANGELIST, domain="indicateurs")
    assert "Par domaine" in body and "Sans domaine" in body
    assert "8 résultats" in body and "Taux d’attrition" in body and "Hybride" not in body
    Concept.objects.get(slug="hybride").domains.clear()
    body = page(editor_client, CHANGELIST, domain="~none")
    assert "1 résultat" in body and "Hybride" in body
    counted = page(editor_client, CHANGELIST, _facets="True")  # "Afficher les nombres"
    assert "Rôles et équipes (13)" in counted and "Sans domaine (1)" in counted


@pytest.mark.django_db
def test_add_to_the_domain_asks_which_then_adds_through_the_writer(editor_client, editor, seed):
    body = select(editor_client, "add_to_domain", "hybride", "taux-d-attrition").content.decode()
    assert "À quel domaine ajouter les 2 concepts sélectionnés ?" in body
    assert "Hybride" in body and "Façons de vendre, Interactions et outils" in body
    fields = post_data(with_values(form_fields(body)))
    fields["domain"] = ["indicateurs"]
    fields["apply"] = ["Ajouter à ce domaine"]
    response = editor_client.post(CHANGELIST, fields, follow=True)
    assert "1 concept ajouté au domaine « Indicateurs ». 1 y était déjà." in (
        response.content.decode()
    )
    assert domains_of("hybride") == {"facons-de-vendre", "indicateurs", "interactions"}
    latest = Concept.history.filter(slug="hybride").latest("history_date")
    assert latest.history_change_reason == "added to the domain indicateurs in the admin"
    assert latest.history_user == editor
    assert reasons("taux-d-attrition") == ["import of glossaire-ventes.csv"]


@pytest.mark.django_db
def test_remove_from_the_domain_takes_the_concepts_out(editor_client, seed):
    body = select(editor_client, "remove_from_domain", "hybride", "asynchrone").content.decode()
    assert "De quel domaine retirer les 2 concepts sélectionnés ?" in body
    response = select(
        editor_client,
        "remove_from_domain",
        "hybride",
        "asynchrone",
        domain="interactions",
        apply="Retirer de ce domaine",
    )
    assert response.status_code == 302
    assert domains_of("hybride") == {"facons-de-vendre"} and domains_of("asynchrone") == set()
    history = page(editor_client, f"{CHANGELIST}{Concept.objects.get(slug='hybride').pk}/history/")
    assert "retiré du domaine « Interactions et outils » dans l’administration" in history
    assert (
        "<del>Façons de vendre, Interactions et outils</del> → <ins>Façons de vendre</ins>"
        in history
    )


@pytest.mark.django_db
def test_a_domain_action_on_every_concept_of_a_filtered_list_keeps_the_filter(editor_client, seed):
    """ "Select all 13" on the list of a domain, then the action: its page, and its
    confirmation, are about those 13 concepts."""
    url = CHANGELIST + "?domain=roles"
    chosen = {
        "action": "add_to_domain",
        "_selected_action": [str(Concept.objects.get(slug="chargee-de-compte").pk)],
        "index": "0",
        "select_across": "1",
    }
    body = editor_client.post(url, chosen).content.decode()
    assert "À quel domaine ajouter les 13 concepts sélectionnés ?" in body
    fields = post_data(with_values(form_fields(body)))
    assert fields["select_across"] == ["1"]
    fields.update(domain=["indicateurs"], apply=["Ajouter à ce domaine"])
    response = editor_client.post(url, fields, follow=True)
    assert "13 concepts ajoutés au domaine « Indicateurs »." in response.content.decode()
    assert Concept.objects.filter(domains__slug="indicateurs").count() == 8 + 13


@pytest.mark.django_db
def test_a_domain_action_without_a_choice_asks_again_and_changes_nothing(editor_client, seed):
    response = select(editor_client, "add_to_domain", "hybride", apply="Ajouter à ce domaine")
    body = response.content.decode()
    assert response.status_code == 200 and "Choisissez un domaine." in body
    assert domains_of("hybride") == {"facons-de-vendre", "interactions"}


@pytest.mark.django_db
def test_remove_from_the_domain_offers_only_the_domains_of_the_selected_concepts(
    editor_client, seed
):
    body = select(editor_client, "remove_from_domain", "hybride", "pme-pmi").content.decode()
    offered = re.findall(r'name="domain" value="([^"]+)"', body)
    assert offered == ["facons-de-vendre", "interactions", "marches-et-modeles"]
    Concept.objects.get(slug="asynchrone").domains.clear()
    body = select(editor_client, "remove_from_domain", "asynchrone").content.decode()
    assert "Le concept sélectionné n’est dans aucun domaine" in body
    assert 'name="domain"' not in body


@pytest.mark.django_db
def test_domain_actions_on_a_glossary_without_domains_say_to_add_one(editor_client, seed):
    Domain.objects.all().delete()
    body = select(editor_client, "add_to_domain", "hybride").content.decode()
    assert "Le glossaire n’a encore aucun domaine" in body and "/admin/terms/domain/add/" in body


# -- progress and import ------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_counts_the_published_concepts_in_no_domain_and_lists_them(editor_client, seed):
    body = page(editor_client, CHANGELIST + "progress/")
    assert "39 concepts publiés appartiennent à au moins un domaine." in body
    assert "sans domaine" not in body
    for slug in ("hybride", "asynchrone"):
        Concept.objects.get(slug=slug).domains.clear()
    body = page(editor_client, CHANGELIST + "progress/")
    assert "37 concepts publiés appartiennent à au moins un domaine." in body
    link = "/admin/terms/concept/?status__exact=published&amp;domain=~none"
    assert f'<a href="{link}">2 sans domaine</a>' in body
    listing = page(editor_client, CHANGELIST, status__exact="published", domain="~none")
    assert "2 résultats" in listing and "Hybride" in listing and "Asynchrone" in listing


@pytest.mark.django_db
def test_the_import_preview_names_the_domains_it_creates(editor_client, seed):
    response = post_import(
        editor_client,
        "domaines.csv",
        b"slug,domains\nhybride,interactions | formats-de-reunion\n",
        "csv",
    )
    body = response.content.decode()
    assert "Domaines créés : formats-de-reunion." in body
    assert '<a href="/admin/terms/domain/">nommiez</a>' in body
    assert not Domain.objects.filter(slug="formats-de-reunion").exists()


# -- in French only ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_domain_pages_speak_french_only(editor_client, seed):
    roles = Domain.objects.get(slug="roles")
    pages = {
        "list": page(editor_client, DOMAINS),
        "add": page(editor_client, DOMAINS + "add/"),
        "change": page(editor_client, f"{DOMAINS}{roles.pk}/change/"),
        "delete": page(editor_client, f"{DOMAINS}{roles.pk}/delete/"),
        "add to": select(editor_client, "add_to_domain", "hybride").content.decode(),
        "remove from": select(editor_client, "remove_from_domain", "hybride").content.decode(),
        "concept list": page(editor_client, CHANGELIST, domain="roles"),
    }
    found = {name: english_leftovers(body) for name, body in pages.items()}
    assert {name: strings for name, strings in found.items() if strings} == {}
    english = re.compile(r"\b(Domains?|Name|No domain|Add to|Remove from)\b")
    assert {
        name: english.findall(body) for name, body in pages.items() if english.search(body)
    } == {}

"""History: every change recorded with who, when and why; versions restored, deletions undone."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terms.models import Concept, ConceptText, IndexEntry
from terms.writer import import_file


def csv(text):
    return text.encode()


def records(slug):
    return Concept.history.filter(slug=slug).order_by("history_date", "history_id")


@pytest.mark.django_db
def test_an_import_records_each_concept_with_its_reason(seed):
    hybride = records("hybride")
    assert hybride.count() == 1
    assert hybride[0].history_type == "+"
    assert hybride[0].history_change_reason == "import of glossaire-ventes.csv"
    text = ConceptText.history.filter(concept__slug="hybride").get()
    assert text.history_change_reason == "import of glossaire-ventes.csv"
    assert [row.to_concept.slug for row in records("interaction-indirecte")[0].see_also.all()] == [
        "asynchrone"
    ]


@pytest.mark.django_db
def test_an_import_that_changes_nothing_records_nothing(seed):
    from terms.interchange.service import export_file

    before = Concept.history.count()
    import_file(export_file("csv"), file_name="again.csv")
    assert Concept.history.count() == before


@pytest.mark.django_db
def test_an_earlier_version_is_shown_with_differences_and_restored(seed, editor_client):
    assert import_file(
        csv(
            "slug,term_fr,definition_fr,see_also\nhybride,Hybride,Nouvelle définition.,asynchrone\n"
        ),
        file_name="edit.csv",
    ).ok
    first = records("hybride")[0]
    page = editor_client.get(f"/admin/terms/concept/history-version/{first.history_id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Nouvelle définition." in body and "Combinaison d’interactions synchrones" in body
    response = editor_client.post(f"/admin/terms/concept/history-version/{first.history_id}/")
    assert response.status_code == 302
    concept = Concept.objects.get(slug="hybride")
    assert concept.texts_by_language()["fr"].definition.startswith("Combinaison")
    assert list(concept.see_also.all()) == []
    assert records("hybride").last().history_change_reason.startswith("restored the version of")
    assert records("hybride").last().history_user.username == "edith"


@pytest.mark.django_db
def test_a_deleted_concept_is_listed_and_restored_with_its_links(seed, editor_client):
    concept = Concept.objects.get(slug="interaction-indirecte")
    pk = concept.pk
    editor_client.post(f"/admin/terms/concept/{pk}/delete/", {"post": "yes"})
    assert not Concept.objects.filter(pk=pk).exists()
    listing = editor_client.get("/admin/terms/concept/deleted/").content.decode()
    assert "interaction-indirecte" in listing
    deletion = Concept.history.filter(id=pk, history_type="-").get()
    assert deletion.history_user.username == "edith"
    response = editor_client.post(f"/admin/terms/concept/history-version/{deletion.history_id}/")
    assert response.status_code == 302
    restored = Concept.objects.get(pk=pk)
    assert restored.texts_by_language()["fr"].term == "Interaction indirecte"
    assert restored.texts_by_language()["fr"].variants == ["Interaction sans contact"]
    assert [c.slug for c in restored.see_also.all()] == ["asynchrone"]
    assert IndexEntry.objects.filter(concept=restored, text="Interaction sans contact").exists()
    assert Client().get("/fr/terms/interaction-indirecte/").status_code == 200
    assert (
        "interaction-indirecte"
        not in editor_client.get("/admin/terms/concept/deleted/").content.decode()
    )


@pytest.mark.django_db
def test_a_restore_that_would_take_a_used_slug_says_so(seed, editor_client):
    concept = Concept.objects.get(slug="hybride")
    editor_client.post(f"/admin/terms/concept/{concept.pk}/delete/", {"post": "yes"})
    assert import_file(csv("slug,term_fr\nhybride,Autre hybride\n"), file_name="x.csv").ok
    deletion = Concept.history.filter(id=concept.pk, history_type="-").get()
    response = editor_client.post(
        f"/admin/terms/concept/history-version/{deletion.history_id}/", follow=True
    )
    assert "Un autre concept utilise désormais l’identifiant" in response.content.decode()
    assert Concept.objects.get(slug="hybride").texts_by_language()["fr"].term == "Autre hybride"


@pytest.mark.django_db
def test_staff_outside_the_editors_group_cannot_see_or_restore_history(seed, staff_outsider):
    client = Client()
    client.force_login(staff_outsider)
    record = records("hybride")[0]
    assert client.get("/admin/terms/concept/deleted/").status_code == 403
    assert (
        client.post(f"/admin/terms/concept/history-version/{record.history_id}/").status_code == 403
    )


@pytest.mark.django_db
def test_translation_progress_counts_and_links_to_the_missing(seed, editor_client):
    body = editor_client.get("/admin/terms/concept/progress/").content.decode()
    assert "39 concepts publiés" in body
    # English: 31 terms in the seed, no definition at all
    assert "?status__exact=published&amp;missing_definition=en" in body
    listing = editor_client.get(
        "/admin/terms/concept/", {"status__exact": "published", "missing_definition": "en"}
    ).content.decode()
    assert "39 concepts" in listing
    listing = editor_client.get("/admin/terms/concept/", {"missing": "en"}).content.decode()
    assert "Hybride" in listing and "Churn rate" not in listing


@pytest.mark.django_db
def test_the_changelist_links_to_progress_and_deleted_concepts(seed, editor_client):
    body = editor_client.get("/admin/terms/concept/").content.decode()
    assert "/admin/terms/concept/progress/" in body and "/admin/terms/concept/deleted/" in body
    assert "/admin/terms/concept/import/" in body


@pytest.mark.django_db
def test_the_history_says_who_changed_what_when_and_why_in_french(seed, editor_client):
    from tests.forms import form_fields, post_data, with_values

    concept = Concept.objects.get(slug="hybride")
    url = f"/admin/terms/concept/{concept.pk}/change/"
    fields = with_values(
        form_fields(editor_client.get(url).content.decode()),
        term_fr="Mode hybride",
        acronyms_en="HY | HYB",
        definition_en="Synchronous and not.",
        change_reason="guide de vente 2025",
    )
    assert editor_client.post(url, post_data(fields)).status_code == 302
    page = editor_client.get(f"/admin/terms/concept/{concept.pk}/history/").content.decode()
    assert "guide de vente 2025" in page and "edith" in page
    assert "Terme (français)" in page and "<del>Hybride</del> → <ins>Mode hybride</ins>" in page
    assert "Acronymes (anglais)" in page and "<ins>HY, HYB</ins>" in page
    assert "Définition (anglais)" in page and "Synchronous and not." in page
    assert "importation de glossaire-ventes.csv" in page  # the seed's own version
    assert "definition_en" not in page and "['HY'" not in page and "None" not in page
    assert "Version actuelle" in page
    first = records("hybride")[0]
    version = editor_client.get(f"/admin/terms/concept/history-version/{first.history_id}/")
    body = version.content.decode()
    assert "+00:00" not in body and ".0" not in body.split("<title>")[1].split("</title>")[0]
    assert "Version du 1 " in body or "Version du " in body
    assert "Restaurer cette version" in body


@pytest.mark.django_db
def test_a_version_that_is_the_concept_now_offers_no_restore(seed, editor_client):
    only = records("hybride").get()
    page = editor_client.get(f"/admin/terms/concept/history-version/{only.history_id}/")
    body = page.content.decode()
    assert "Cette version est identique au concept actuel." in body
    assert "Restaurer cette version" not in body
    response = editor_client.post(f"/admin/terms/concept/history-version/{only.history_id}/")
    assert response.status_code == 200
    assert records("hybride").count() == 1


@pytest.mark.django_db
def test_a_concept_deleted_outside_the_admin_is_restored_with_its_texts(seed, editor_client):
    """A shell's delete: simple-history records the texts as deleted just before the concept;
    the deletion's version is still the concept as it was, texts included."""
    concept = Concept.objects.get(slug="hybride")
    pk = concept.pk
    concept.delete()
    deletion = Concept.history.filter(id=pk, history_type="-").get()
    response = editor_client.post(f"/admin/terms/concept/history-version/{deletion.history_id}/")
    assert response.status_code == 302
    restored = Concept.objects.get(pk=pk).texts_by_language()
    assert restored["fr"].term == "Hybride" and restored["fr"].definition.startswith("Combinaison")


def send_form(client, url, **changes):
    """The concept form at `url` sent back as a browser would, some fields changed (a list:
    several values, as ticked boxes send them)."""
    from tests.forms import form_fields, post_data, with_values

    data = post_data(with_values(form_fields(client.get(url).content.decode())))
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)


def domain_ids(*slugs):
    from terms.models import Domain

    return [str(Domain.objects.get(slug=slug).pk) for slug in slugs]


@pytest.mark.django_db
def test_the_history_names_domains_wordings_to_avoid_notes_and_sources_in_french(
    seed, editor_client
):
    concept = Concept.objects.get(slug="hybride")
    url = f"/admin/terms/concept/{concept.pk}/change/"
    response = send_form(
        editor_client,
        url,
        domains=domain_ids("facons-de-vendre", "interactions", "roles"),
        deprecated_fr="Mixte | Vente mixte",
        note_fr="Dites « hybride ».",
        source_en="Sales playbook 2025",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    history_url = f"/admin/terms/concept/{concept.pk}/history/"
    with CaptureQueriesContext(connection) as first:
        page = editor_client.get(history_url).content.decode()
    assert (
        "<strong>Domaines</strong> : <del>Façons de vendre, Interactions et outils</del> → "
        "<ins>Façons de vendre, Interactions et outils, Rôles et équipes</ins>" in page
    )
    assert (
        "<strong>À éviter (français)</strong> : <del>—</del> → <ins>Mixte, Vente mixte</ins>"
        in page
    )
    assert "<strong>Note (français)</strong>" in page and "Dites « hybride »." in page
    assert "<strong>Source (anglais)</strong>" in page and "Sales playbook 2025" in page
    assert "deprecated_fr" not in page and "facons-de-vendre" not in page
    # The domains' names are one query for the whole page, however many versions name them.
    for domains in (["roles"], ["indicateurs", "roles"], ["interactions"]):
        assert send_form(editor_client, url, domains=domain_ids(*domains)).status_code == 302
    with CaptureQueriesContext(connection) as longer:
        editor_client.get(history_url)
    assert len(longer) == len(first)


@pytest.mark.django_db
def test_restoring_a_version_brings_back_its_domains_wordings_to_avoid_notes_and_sources(
    seed, editor_client
):
    concept = Concept.objects.get(slug="hybride")
    url = f"/admin/terms/concept/{concept.pk}/change/"
    assert (
        send_form(
            editor_client,
            url,
            domains=domain_ids("roles"),
            deprecated_fr="Mixte",
            note_fr="Dites « hybride ».",
            source_fr="https://intranet.example.com/guide",
            variants_en="Blended",
            term_en="Hybrid",
        ).status_code
        == 302
    )
    assert (
        send_form(
            editor_client, url, domains=[], deprecated_fr="", note_fr="", source_fr=""
        ).status_code
        == 302
    )
    middle = records("hybride")[1]
    version = editor_client.get(f"/admin/terms/concept/history-version/{middle.history_id}/")
    body = version.content.decode()
    assert "<td>Domaines</td><td>Rôles et équipes</td><td>—</td>" in body
    assert "<td>À éviter (français)</td><td>Mixte</td><td>—</td>" in body
    assert "<td>Source (français)</td><td>https://intranet.example.com/guide</td>" in body
    response = editor_client.post(f"/admin/terms/concept/history-version/{middle.history_id}/")
    assert response.status_code == 302
    restored = Concept.objects.get(slug="hybride")
    assert [domain.slug for domain in restored.domains.all()] == ["roles"]
    french = restored.texts_by_language()["fr"]
    assert french.deprecated == ["Mixte"] and french.note == "Dites « hybride »."
    assert french.source == "https://intranet.example.com/guide"
    assert IndexEntry.objects.filter(concept=restored, kind="deprecated", text="Mixte").exists()
    # And the first version, the seed's: its two domains, nothing to avoid.
    first = records("hybride")[0]
    assert (
        editor_client.post(f"/admin/terms/concept/history-version/{first.history_id}/").status_code
        == 302
    )
    restored = Concept.objects.get(slug="hybride")
    assert sorted(domain.slug for domain in restored.domains.all()) == [
        "facons-de-vendre",
        "interactions",
    ]
    assert restored.texts_by_language()["fr"].deprecated == []

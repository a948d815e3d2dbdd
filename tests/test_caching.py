"""Reader pages are cached, and never stale after an edit, an import or a deletion."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from terms.models import Concept
from terms.writer import import_file


@pytest.fixture
def reader():
    return Client()


@pytest.mark.django_db
def test_a_cached_page_costs_one_query(reader, seed, django_assert_num_queries):
    reader.get("/fr/terms/hybride/")
    with django_assert_num_queries(1):  # the glossary generation
        response = reader.get("/fr/terms/hybride/")
    assert "Hybride" in response.content.decode()


@pytest.mark.django_db
def test_an_import_is_visible_at_once(reader, seed):
    assert "Combinaison" in reader.get("/fr/terms/hybride/").content.decode()
    reader.get("/fr/letters/H/")
    assert import_file(
        b"slug,definition_fr,variants_fr\nhybride,Tout neuf.,Mixte\n", file_name="x.csv"
    ).ok
    body = reader.get("/fr/terms/hybride/").content.decode()
    assert "Tout neuf." in body and "Combinaison" not in body
    assert "Mixte" in reader.get("/fr/letters/M/").content.decode()


@pytest.mark.django_db
def test_an_admin_edit_and_a_deletion_are_visible_at_once(reader, seed, editor):
    editor_client = Client()
    editor_client.force_login(editor)
    assert reader.get("/fr/terms/hybride/").status_code == 200
    pk = Concept.objects.get(slug="hybride").pk
    editor_client.post("/admin/terms/concept/", {"action": "unpublish", "_selected_action": [pk]})
    assert reader.get("/fr/terms/hybride/").status_code == 404
    assert "Hybride" not in reader.get("/fr/letters/H/").content.decode()
    reader.get("/fr/terms/asynchrone/")
    asynchrone = Concept.objects.get(slug="asynchrone")
    editor_client.post(f"/admin/terms/concept/{asynchrone.pk}/delete/", {"post": "yes"})
    assert reader.get("/fr/terms/asynchrone/").status_code == 404


@pytest.mark.django_db
def test_editors_are_never_served_a_cached_page(reader, seed, editor):
    reader.get("/fr/terms/hybride/")
    editor_client = Client()
    editor_client.force_login(editor)
    body = editor_client.get("/fr/terms/hybride/").content.decode()
    assert "/admin/terms/concept/" in body


def test_the_page_cache_is_one_folder_shared_by_every_worker(settings):
    """gunicorn's workers are processes: only a cache outside them serves a page rendered
    by one worker to the others (and keeps it across a worker's restart)."""
    from django.core.cache import cache, caches

    assert settings.CACHES["default"]["BACKEND"] == "terms.filecache.SharedFileCache"
    cache.set("page:probe", "rendered once")
    other_process_view = caches.create_connection("default")  # a fresh backend, same folder
    assert other_process_view.get("page:probe") == "rendered once"


@pytest.mark.django_db
def test_a_restored_backup_never_meets_pages_cached_after_it(reader, seed):
    """Restoring an older database brings back an older generation: the next change must
    still land above every generation cached meanwhile."""
    from terms.models import GlossaryState

    reader.get("/fr/terms/hybride/")
    cached_generation = GlossaryState.current()
    # Backups taken a few changes before the page was cached, each restored in turn.
    for changes_ago in range(1, 6):
        GlossaryState.objects.filter(pk=1).update(generation=cached_generation - changes_ago)
        definition = f"Restaurée {changes_ago}."
        assert import_file(f"slug,definition_fr\nhybride,{definition}\n".encode()).ok
        assert GlossaryState.current() > cached_generation
        assert definition in reader.get("/fr/terms/hybride/").content.decode()


@pytest.mark.django_db
def test_a_cache_folder_that_cannot_be_written_only_means_uncached_pages(
    reader, seed, monkeypatch, tmp_path
):
    from terms import caching
    from terms.filecache import SharedFileCache

    (tmp_path / "a-file").write_text("not a folder")
    broken = SharedFileCache(str(tmp_path / "a-file" / "cache"), {})
    monkeypatch.setattr(caching, "cache", broken)
    for _ in range(2):
        response = reader.get("/fr/terms/hybride/")
        assert response.status_code == 200 and "Hybride" in response.content.decode()
    assert broken.get("anything", "default") == "default"


@pytest.mark.django_db
def test_a_concept_deleted_outside_the_admin_leaves_no_cached_page(reader, seed):
    assert reader.get("/fr/terms/asynchrone/").status_code == 200
    assert "Asynchrone" in reader.get("/fr/letters/A/").content.decode()
    Concept.objects.filter(slug="asynchrone").delete()  # a shell or a script
    assert reader.get("/fr/terms/asynchrone/").status_code == 404
    assert "Asynchrone" not in reader.get("/fr/letters/A/").content.decode()


@pytest.mark.django_db
def test_pages_a_non_staff_editor_opened_are_never_served_to_readers(
    reader, single_sign_on, draft_concept, published_concept, employee
):
    claire = User.objects.create_user("claire")  # signed in by the proxy: not staff
    claire.groups.add(Group.objects.get(name="Glossary editors"))
    editor_browser = Client(HTTP_X_REMOTE_USER="claire")
    body = editor_browser.get("/fr/terms/brouillon/").content.decode()
    assert "Concept en cours" in body and "Brouillon" in body
    assert "/admin/terms/concept/" in editor_browser.get("/fr/terms/churn/").content.decode()

    colleague = Client(HTTP_X_REMOTE_USER="rachel")  # signed in too, a reader
    for someone in (reader, colleague):
        response = someone.get("/fr/terms/brouillon/")
        assert response.status_code == 404
        assert "Concept en cours" not in response.content.decode()
        body = someone.get("/fr/terms/churn/").content.decode()
        assert "Taux d’attrition" in body and "/admin/" not in body


@pytest.mark.django_db
def test_a_page_cached_for_a_signed_in_reader_names_nobody(reader, published_concept, employee):
    colleague = Client()
    colleague.force_login(employee)
    reader.get("/fr/")  # cached for anonymous readers first, then for signed-in ones
    for url in ("/fr/", "/fr/terms/churn/"):
        body = colleague.get(url).content.decode()
        assert "Se déconnecter" in body and "rachel" not in body, url
    body = reader.get("/fr/terms/churn/").content.decode()
    assert "Taux d’attrition" in body and "Se déconnecter" not in body


@pytest.mark.django_db
def test_staff_who_may_not_edit_get_the_readers_page(reader, published_concept, staff_outsider):
    outsider = Client()
    outsider.force_login(staff_outsider)
    body = outsider.get("/fr/terms/churn/").content.decode()
    assert "Taux d’attrition" in body and "/admin/" not in body

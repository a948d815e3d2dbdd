"""A large import in a real browser, as a French editor meets it: the progress page whose
bars move as the worker reports, then the preview, the confirmation, and the report. The
test plays the worker (the dummy task backend keeps the tasks queued for it)."""

import pytest
from playwright.sync_api import expect

from tests.test_browser_editors import make_editor, sign_in


@pytest.fixture
def french_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


pytestmark = pytest.mark.browser

ROWS = 250


@pytest.fixture
def queued_tasks(settings):
    settings.GLOSSARY_BACKGROUND_IMPORT_BYTES = 1000
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_large_import_shows_its_progress_then_its_preview_then_its_report(
    live_seed, french_page, tmp_path, queued_tasks
):
    from terms import background
    from terms.models import Concept, ImportJob

    make_editor("edith")
    page = french_page
    sign_in(page, live_seed.url, "edith")
    path = tmp_path / "gros.csv"
    lines = "".join(f"terme-{n},Terme {n},Définition {n}.\n" for n in range(ROWS))
    path.write_text(f"slug,term_fr,definition_fr\n{lines}")
    page.goto(live_seed.url + "/admin/terms/concept/import/")
    page.set_input_files("#id_import_file", str(path))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector(".import-progress")
    assert "Préparation de l’aperçu" in page.locator("#content").inner_text()
    assert page.locator("#progress-validated").get_attribute("value") == "0"

    # The worker reports how far it got: the bars move without reloading the page.
    job = ImportJob.objects.get()
    progress = background.Progress(job.pk)
    progress("read", ROWS, ROWS)
    progress("validated", 120, ROWS)
    expect(page.locator("[data-count=validated]")).to_have_text("120")
    assert page.locator("#progress-validated").evaluate("bar => bar.value") == 120
    assert page.locator("#progress-read").evaluate("bar => bar.value") == ROWS
    assert "Comparaison des lignes avec le glossaire" in page.locator("[role=status]").inner_text()

    # Once it is done, the page becomes the preview, as a small file's.
    background.run_import_job.call(job.pk)
    page.wait_for_selector(".import-summary")
    content = page.locator("#content").inner_text()
    assert f"{ROWS} nouveau(x), 0 modifié(s), 0 inchangé(s)." in content
    assert f"Les 200 premiers sur {ROWS} sont listés." in content
    page.get_by_role("button", name="Confirmer l’importation").click()
    page.wait_for_selector(".import-progress")
    assert "Importation en cours" in page.locator("#content").inner_text()
    assert page.locator("#progress-written").count() == 1
    assert Concept.objects.filter(slug__startswith="terme-").count() == 0

    background.run_import_job.call(job.pk)
    page.wait_for_selector(".messagelist .success")
    assert (
        f"Importation terminée : {ROWS} nouveau(x), 0 modifié(s), 0 inchangé(s)."
        in page.locator(".messagelist").inner_text()
    )
    assert Concept.objects.filter(slug__startswith="terme-").count() == ROWS

    # Coming back later: the list of the editor's imports leads to it.
    page.goto(live_seed.url + "/admin/terms/concept/import/")
    page.get_by_role("link", name="Vos importations en arrière-plan").click()
    assert "gros.csv" in page.locator("table.import-jobs").inner_text()
    assert "Terminé" in page.locator("table.import-jobs").inner_text()
    page.screenshot(path=str(tmp_path / "jobs.png"))

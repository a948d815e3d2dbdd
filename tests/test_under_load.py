"""Readers keep reading while an import and admin edits run (the SPEC's "Reliability").

gunicorn serves a database of its own as `make run` does (several workers, debug off);
reader threads load the public pages and the API while an import rewrites every seed
definition and adds concepts, and an editor unpublishes and republishes concepts in
the admin. Afterwards: no 5xx and no failed request, nothing in gunicorn's log about a
locked database, a traceback or a timed-out worker, and every imported row is there.
On PostgreSQL (DATABASE_URL) the same runs against a database made for the test.
"""

import csv
import http.cookiejar
import io
import json
import re
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.forms import form_fields, with_values
from tests.servers import own_database, serve

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "terms" / "fixtures" / "glossaire-ventes.csv"
NEW_CONCEPTS = 1500
MARK = " Révisé pendant la charge."
READERS = 8
EDITOR_PASSWORD = "load-test-password-1234"  # a throwaway account
# Concepts the editor unpublishes for a moment: readers do not ask for them.
EDITED = ("hybride", "asynchrone")


@pytest.fixture
def database_url():
    """The test's own database: a SQLite file, or a new PostgreSQL database."""
    with own_database() as url:
        yield url


@pytest.fixture
def site(tmp_path, database_url):
    commands = [
        ("migrate", "--no-input"),
        ("load_seed",),
        ("collectstatic", "--no-input"),
        ("createsuperuser", "--no-input", "--username", "editor", "--email", "e@x.org"),
    ]
    with serve(
        tmp_path,
        database_url,
        commands,
        WEB_CONCURRENCY="3",
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
    ) as site:
        yield site


def reader_paths():
    with open(SEED, encoding="utf-8") as seed:
        slugs = [row["slug"] for row in csv.DictReader(seed) if row["slug"] not in EDITED]
    return [
        "/fr/",
        "/en/",
        "/fr/letters/C/",
        "/en/letters/S/",
        "/fr/search/?q=vente",
        "/fr/search/?q=" + urllib.parse.quote("chargée de compte"),
        "/en/search/?q=churn",
        "/api/search/?q=ae&lang=fr",
        "/healthz",
        *(f"/fr/terms/{slug}/" for slug in slugs),
        *(f"/en/terms/{slug}/" for slug in slugs[:10]),
    ]


def read_until(stop, base, paths, offset, outcomes):
    position = offset
    while not stop.is_set():
        path = paths[position % len(paths)]
        position += 1
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                outcomes.append((path, response.status))
        except urllib.error.HTTPError as error:
            outcomes.append((path, error.code))
        except OSError as error:
            outcomes.append((path, repr(error)))


def import_file(tmp_path):
    """Every seed definition revised, and NEW_CONCEPTS concepts that mention seed terms."""
    with open(SEED, encoding="utf-8") as seed:
        reader = csv.DictReader(seed)
        columns, rows = reader.fieldnames, list(reader)
    for row in rows:
        row["definition_fr"] += MARK
    for number in range(NEW_CONCEPTS):
        rows.append(
            {
                **dict.fromkeys(columns, ""),
                "slug": f"charge-{number}",
                "status": "published",
                "term_fr": f"Terme de charge {number}",
                "definition_fr": f"Suivi par le Chargé·e de compte (AE), cas {number}.",
                "see_also": "hybride",
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "revised.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


class Editor:
    """A browser session in the admin: logs in, then runs changelist actions."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf_token(self, path):
        page = self.opener.open(self.base + path, timeout=30).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post(self, path, fields):
        """Posts `fields` (a dict, or name-value pairs as a form sends them)."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        data = urllib.parse.urlencode(
            [*pairs, ("csrfmiddlewaretoken", self.csrf_token(path))], doseq=True
        ).encode()
        request = urllib.request.Request(self.base + path, data, headers={"Referer": self.base})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()

    def log_in(self):
        status, page = self.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": EDITOR_PASSWORD, "next": "/admin/"},
        )
        assert status == 200 and "logout" in page.lower(), page[:500]

    def form_fields(self, path):
        """The fields of the page's main form as the browser would send them."""
        page = self.opener.open(self.base + path, timeout=60).read().decode()
        return form_fields(page)

    def run_action(self, action, concept_ids):
        status, _page = self.post(
            "/admin/terms/concept/", {"action": action, "_selected_action": concept_ids}
        )
        assert status == 200


LARGE_IMPORT = 10_000


def large_import_file(tmp_path):
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["slug", "status", "term_fr", "definition_fr"])
    for number in range(LARGE_IMPORT):
        rows.writerow(
            [
                f"grand-{number}",
                "published",
                f"Terme importé {number}",
                f"Défini pour la charge, suivi par le Chargé·e de compte (AE), cas {number}.",
            ]
        )
    path = tmp_path / "grand.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def import_is_running(site):
    """Whether the import lock is held, read from the site's database directly."""
    if "DATABASE_URL" in site.env:
        import psycopg

        with psycopg.connect(site.env["DATABASE_URL"]) as connection:
            return connection.execute("SELECT count(*) FROM terms_importlock").fetchone()[0] > 0
    with sqlite3.connect(site.env["GLOSSARY_SQLITE_PATH"], timeout=30) as connection:
        return connection.execute("SELECT count(*) FROM terms_importlock").fetchone()[0] > 0


@pytest.mark.slow
def test_an_editor_and_a_second_import_meet_a_large_import_without_an_error(site, tmp_path):
    """A 10,000-row import runs; meanwhile an editor saves a concept through the admin's
    form and a colleague starts another import. The editor's save goes through, the second
    import is refused with a sentence, the first completes: no 5xx, no traceback, nothing
    lost."""
    hybride = site.manage(
        "shell",
        "--no-imports",
        "-c",
        "from terms.models import Concept; print(Concept.objects.get(slug='hybride').pk)",
    ).strip()
    editor = Editor(site.base)
    editor.log_in()
    change_form = f"/admin/terms/concept/{hybride}/change/"
    edited = "Défini par une éditrice pendant la grande importation."
    fields = with_values(editor.form_fields(change_form), definition_fr=edited)
    small = tmp_path / "petit.csv"
    small.write_text("slug,term_fr\npetit,Petit import\n", encoding="utf-8")

    first = site.start("import_glossary", str(large_import_file(tmp_path)))
    deadline = time.monotonic() + 60
    while not import_is_running(site):
        assert first.poll() is None and time.monotonic() < deadline, first.stdout.read()
        time.sleep(0.1)
    second = subprocess.run(
        site.command("import_glossary", str(small)),
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, page = editor.post(change_form, fields)
    output, _ = first.communicate(timeout=300)

    assert first.returncode == 0, output
    assert f"{LARGE_IMPORT} new" in output
    assert second.returncode != 0
    assert "Another import is running (started by a script at" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert status == 200 and "/admin/terms/concept/" in page and "errornote" not in page
    log = site.log_path.read_text()
    for problem in ("database is locked", "Traceback", "WORKER TIMEOUT"):
        assert problem not in log, problem
    assert not re.search(r'HTTP/1\.[01]" 5\d\d ', log), "a 5xx in gunicorn's access log"
    exported = {
        row["slug"]: row for row in json.loads(site.manage("export_glossary", "--format", "json"))
    }
    assert len(exported) == 39 + LARGE_IMPORT
    assert exported["hybride"]["definition_fr"] == edited
    assert "petit" not in exported


def test_readers_see_no_error_while_an_import_and_admin_edits_run(site, tmp_path):
    edited_ids = site.manage(
        "shell",
        "--no-imports",
        "-c",
        "from terms.models import Concept; "
        f"print(*Concept.objects.filter(slug__in={list(EDITED)!r}).values_list('pk', flat=True))",
    ).split()
    assert len(edited_ids) == len(EDITED) and all(pk.isdigit() for pk in edited_ids)
    paths = reader_paths()
    stop, outcomes = threading.Event(), []
    readers = [
        threading.Thread(
            target=read_until, args=(stop, site.base, paths, number * 7, outcomes), daemon=True
        )
        for number in range(READERS)
    ]
    for reader in readers:
        reader.start()
    try:
        time.sleep(1)
        editor = Editor(site.base)
        editor.log_in()
        importing = site.start("import_glossary", str(import_file(tmp_path)))
        edits = 0
        while importing.poll() is None or edits < 4:
            editor.run_action("unpublish", edited_ids)
            editor.run_action("publish", edited_ids)
            edits += 2
        output, _ = importing.communicate(timeout=120)
        assert importing.returncode == 0, output
        time.sleep(1)  # readers carry on a moment after the last write
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)

    failures = [(path, status) for path, status in outcomes if status != 200]
    assert len(outcomes) > 200, "the readers hardly read"
    assert not failures, failures[:20]
    log = site.log_path.read_text()
    for problem in ("database is locked", "Traceback", "WORKER TIMEOUT"):
        assert problem not in log, problem
    assert not re.search(r'HTTP/1\.[01]" 5\d\d ', log), "a 5xx in gunicorn's access log"

    exported = json.loads(site.manage("export_glossary", "--format", "json"))
    by_slug = {row["slug"]: row for row in exported}
    assert len(by_slug) == 39 + NEW_CONCEPTS
    assert all(by_slug[f"charge-{n}"]["see_also"] == "hybride" for n in range(NEW_CONCEPTS))
    seed_slugs = [slug for slug in by_slug if not slug.startswith("charge-")]
    assert all(by_slug[slug]["definition_fr"].endswith(MARK) for slug in seed_slugs)
    assert all(by_slug[slug]["status"] == "published" for slug in EDITED)

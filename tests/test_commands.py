"""The commands the README shows work as shown, in a checkout where `make run` ran."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "terms" / "fixtures" / "glossaire-ventes.csv"


@pytest.fixture
def checkout(tmp_path):
    """A copy of the project, as a fresh clone, run with no settings in the environment."""
    for folder in ("glossary_site", "terms", "templates", "locale", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    return tmp_path


def manage(checkout, *args):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GLOSSARY_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_without_make_run_the_settings_still_refuse_to_start_without_a_key(checkout):
    result = manage(checkout, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.slow
def test_after_make_run_the_readme_commands_use_its_database(checkout):
    # What `make run` leaves: its secret key (scripts/dev_env.py) and its SQLite file.
    (checkout / "data").mkdir()
    (checkout / "data" / "secret_key").write_text("a-key-make-run-generated-" + "x" * 30)
    assert manage(checkout, "migrate", "--no-input").returncode == 0
    result = manage(checkout, "import_glossary", str(SEED))
    assert result.returncode == 0, result.stderr
    assert "39 new" in result.stdout
    assert (checkout / "data" / "glossary.sqlite3").exists()
    result = manage(checkout, "export_glossary", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 39

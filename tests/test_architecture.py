"""The layers written down in README.md hold, and the contracts that say so really bite."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(folder, *contracts):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"]
        + [option for contract in contracts for option in ("--contract", contract)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path):
    """The package and its contracts, in a folder of its own to break at will."""
    shutil.copytree(ROOT / "terms", tmp_path / "terms", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_layer_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("interchange/tbx.py", "from terms import writer", "codecs-never-write"),
        ("interchange/skos.py", "from terms.interchange import tbx", "codecs-independent"),
        ("models.py", "from terms import records", "layers"),
        ("views.py", "from terms.interchange import tbx", None),  # a face may use a codec
        ("text.py", "import django", "pure-text"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(project_copy, module, forbidden_import, contract):
    path = project_copy / "terms" / module
    path.write_text(path.read_text() + f"\n{forbidden_import}  # noqa\n")
    if contract is None:
        assert lint_imports(project_copy).returncode == 0
        return
    result = lint_imports(project_copy, contract)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout

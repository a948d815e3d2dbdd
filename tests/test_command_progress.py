"""import_glossary and export_glossary draw a progress bar on a terminal, on stderr, and
say nothing more anywhere else: scripts and CI logs read the same output as before."""

import io

import pytest
from django.core.management import call_command

from terms.management.progress import TerminalProgress
from terms.models import Concept

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self):
        return True


def csv_file(tmp_path, rows=3):
    path = tmp_path / "import.csv"
    lines = "".join(f"terme-{n},Terme {n}\n" for n in range(rows))
    path.write_text(f"slug,term_fr\n{lines}")
    return path


def test_an_import_on_a_terminal_shows_rows_read_checked_and_written(tmp_path):
    out, err = io.StringIO(), Terminal()
    call_command("import_glossary", str(csv_file(tmp_path)), stdout=out, stderr=err)
    bars = err.getvalue()
    assert "\rRead     [##############################] 3/3\n" in bars
    assert "\rChecked  [##############################] 3/3\n" in bars
    assert "\rWriting  [..............................] 0/3\n" in bars
    assert bars.endswith("\rWritten  [##############################] 3/3\n")
    assert out.getvalue() == "3 new, 0 changed, 0 unchanged concept(s) were imported.\n"
    assert Concept.objects.count() == 3


def test_an_import_elsewhere_than_a_terminal_prints_no_bar(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_glossary", str(csv_file(tmp_path)), stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue() == "3 new, 0 changed, 0 unchanged concept(s) were imported.\n"


def test_a_dry_run_on_a_terminal_stops_its_bar_before_writing(tmp_path):
    err = Terminal()
    call_command(
        "import_glossary", str(csv_file(tmp_path)), "--dry-run", stdout=io.StringIO(), stderr=err
    )
    assert "Checked  [##############################] 3/3\n" in err.getvalue()
    assert "Writ" not in err.getvalue()
    assert not Concept.objects.exists()


def test_an_export_on_a_terminal_shows_the_concepts_exported_beside_the_file(seed, tmp_path):
    err = Terminal()
    output = tmp_path / "export.csv"
    call_command("export_glossary", "--output", str(output), stderr=err, stdout=io.StringIO())
    assert "\rExported [##############################] 39/39\n" in err.getvalue()
    assert "Exported" not in output.read_text(encoding="utf-8-sig")


def test_an_export_to_a_pipe_is_the_file_alone(seed):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_glossary", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue().startswith("slug,status,domains,term_fr")


def test_the_bar_is_drawn_at_most_every_tenth_of_a_second_within_a_stage():
    err = Terminal()
    progress = TerminalProgress(_Wrapped(err))
    for done in range(0, 1000):
        progress("validated", done, 1000)
    progress("validated", 1000, 1000)
    progress.close()
    assert err.getvalue().count("\r") < 20
    assert err.getvalue().endswith("1000/1000\n")


class _Wrapped:
    """A command's OutputWrapper, as far as the bar uses it."""

    def __init__(self, stream):
        self.stream = stream

    def isatty(self):
        return self.stream.isatty()

    def write(self, text, style_func=None, ending=None):
        self.stream.write(text)

    def flush(self):
        pass

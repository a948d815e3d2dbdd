"""Hostile files are refused in under 5 s and 200 MB, each with a sentence naming the problem.

The files are made by tests/hostile_files.py, small on disk. Each is read in a process of
its own, forked from one that has loaded Django, so that its CPU time and its peak resident
memory (os.wait4 gives a child's) are the reader's alone; a limit on address space and an
alarm keep a regression from taking the machine down with it.
"""

import json
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError

from terms.interchange.formats import UnreadableFile
from terms.interchange.tbx import read_tbx
from terms.models import Concept
from tests import hostile_files

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 5
MEGABYTES = 200

# What each file gets: a refusal starting so, or the number of data rows read.
EXPECTED = {
    "xlsx-declaring-the-whole-sheet": 1,
    "xlsx-with-rows-far-apart": 2,
    "xlsx-shared-strings-bomb": "This workbook unzips to more than 512 MB; the largest accepted is "
    "512 MB.",
    "xlsx-bomb-lying-about-its-size": "This is not a readable XLSX workbook (Bad CRC-32",
    "xlsx-of-three-million-rows": "This file has more than 200,000 rows; the largest accepted is "
    "200,000.",
    "xlsx-with-a-doctype": "This workbook holds a document type declaration (<!DOCTYPE …>)",
    "xlsx-with-a-cell-in-the-last-column": "This file has more than 100 columns; the largest "
    "accepted is 100.",
    "xlsx-of-many-small-cells": "This sheet has more than 4,000,000 cells (empty formatted cells "
    "included); the largest accepted is 4,000,000.",
    "xlsx-with-a-long-inline-cell": "Row 2, column slug: the cell holds more than 32,767 "
    "characters; the largest accepted is 32,767.",
    "xlsx-with-two-million-column-widths": 1,
    "xlsx-with-a-million-empty-cells-in-a-row": 1,
    "xlsx-with-a-string-of-a-million-runs": "A cell of this workbook holds more than 32,767 "
    "characters",
    "xlsx-whose-sheet-is-wrapped-in-junk": "This is not a readable XLSX workbook (its part "
    "xl/worksheets/sheet1.xml is not the XML it should be).",
    "json-with-half-a-million-variants": "Row 2, column variants_fr: the cell holds more than "
    "32,767 characters",
    "json-nested-100-000-deep": "A JSON glossary must be a list of objects, one per concept.",
    "json-with-a-5000-digit-number": "This JSON file holds a number of 5000 digits; the longest "
    "accepted has 100.",
    "json-of-empty-lists": "The value of 'term_fr' must be text, not list.",
    "json-of-empty-objects": "This file has more than 200,000 rows",
    "json-with-a-lone-surrogate": "Row 2, column term_fr: the text holds “\\ud800”",
    "csv-of-five-million-rows": "This file has more than 200,000 rows",
    "csv-with-a-long-cell": "Line 2: a cell holds more than 32,767 characters",
    "csv-with-100-000-columns": "This file has more than 100 columns",
    "csv-with-one-windows-1252-byte": "This file mixes two text encodings: it is UTF-8, but line 3",
    "csv-whose-bom-lost-its-encoding": "The file's text encoding was lost: it starts with “ï»¿”",
    "tbx-of-repeated-doctypes": "This is not well-formed XML",
}

MEASURE = r"""
import json, os, resource, signal, sys, time

import django

django.setup()
from django.utils import translation

from terms.interchange import tbx
from terms.interchange.formats import read_dataset


def read(path, file_format):
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
    signal.alarm(60)
    translation.activate("en")
    with open(path, "rb") as file:
        data = file.read()
    start = time.perf_counter()
    try:
        result = tbx._parse(data) if file_format == "tbx" else read_dataset(data, file_format)
        outcome = {"rows": len(result)}
    except Exception as error:
        outcome = {"refusal": str(error), "exception": type(error).__name__}
    outcome["seconds"] = time.perf_counter() - start
    return outcome


results = {}
for line in sys.stdin:
    name, path, file_format = json.loads(line)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        with os.fdopen(writing, "w") as pipe:
            pipe.write(json.dumps(read(path, file_format)))
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        report = pipe.read()
    _pid, status, usage = os.wait4(pid, 0)
    results[name] = {
        **(json.loads(report) if report else {"crashed": status}),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "megabytes": usage.ru_maxrss / 1024,
    }
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """{name: {"refusal" or "rows", "seconds", "megabytes"}} for every hostile file."""
    folder = tmp_path_factory.mktemp("hostile")
    lines = []
    for name, (file_format, make) in hostile_files.HOSTILE.items():
        path = folder / f"{name}.{file_format}"
        path.write_bytes(make())
        lines.append(json.dumps([name, str(path), file_format]))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "glossary_site.test_settings"}
    finished = subprocess.run(
        [sys.executable, "-c", MEASURE],
        input="\n".join(lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=600,
        check=True,
    )
    return json.loads(finished.stdout.splitlines()[-1])


def test_every_hostile_file_has_an_expected_outcome():
    assert set(EXPECTED) == set(hostile_files.HOSTILE)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_hostile_file_is_refused_with_a_sentence_quickly_and_in_little_memory(measured, name):
    outcome = measured[name]
    expected = EXPECTED[name]
    if isinstance(expected, int):
        assert outcome.get("rows") == expected, outcome
    else:
        assert outcome.get("exception") == "UnreadableFile", outcome
        assert outcome["refusal"].startswith(expected), outcome
    # CPU time, which other work on the machine does not inflate; the whole child's, so
    # reading the file from disk is counted too.
    assert outcome["cpu_seconds"] < SECONDS, outcome
    assert outcome["megabytes"] < MEGABYTES, outcome


def test_entities_declared_after_a_long_run_of_doctypes_are_refused_at_once():
    data = hostile_files.tbx_of_repeated_doctypes() + b'<!ENTITY lol "lol">'
    start = time.process_time()
    with pytest.raises(UnreadableFile, match="declares its own entities"):
        read_tbx(data)
    assert time.process_time() - start < 1


# -- the command line ----------------------------------------------------------------------


def run_import(path, *arguments):
    """import_glossary on a file: (the CommandError it raises, what it wrote on stderr)."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_glossary", str(path), *arguments, stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "json-nested-100-000-deep",
        "json-with-a-5000-digit-number",
        "xlsx-with-a-doctype",
        "xlsx-shared-strings-bomb",
        "xlsx-of-three-million-rows",
        "csv-with-one-windows-1252-byte",
        "tbx-of-repeated-doctypes",
    ],
)
def test_the_import_command_tells_a_hostile_file_in_a_sentence_not_a_traceback(tmp_path, name):
    file_format, make = hostile_files.HOSTILE[name]
    path = tmp_path / f"{name}.{file_format}"
    path.write_bytes(make())
    for arguments in (["--dry-run"], []):
        message, err = run_import(path, *arguments)
        assert message == "Nothing was imported: 1 problem(s) found."
        assert err.strip().startswith(EXPECTED[name]), err
        assert "Traceback" not in err
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_a_lone_surrogate_fails_the_dry_run_as_it_would_fail_the_import(tmp_path):
    path = tmp_path / "surrogate.json"
    path.write_bytes(hostile_files.json_with_a_lone_surrogate())
    for arguments in (["--dry-run"], []):
        _message, err = run_import(path, *arguments)
        assert "Row 2, column term_fr: the text holds “\\ud800”, half of a character" in err
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_a_file_the_command_cannot_read_is_a_sentence(tmp_path):
    path = tmp_path / "locked.csv"
    path.write_bytes(b"slug,term_fr\na,A\n")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who reads any file")
    with pytest.raises(CommandError, match=r"Cannot read .*locked\.csv: Permission denied\."):
        call_command("import_glossary", str(path))


@pytest.mark.django_db
def test_a_value_only_the_database_refuses_is_a_sentence(tmp_path, monkeypatch):
    def refused_by_the_database(*args, **kwargs):
        raise DataError("unsupported Unicode escape sequence")

    monkeypatch.setattr(
        "terms.management.commands.import_glossary.import_file", refused_by_the_database
    )
    path = tmp_path / "x.csv"
    path.write_bytes(b"slug,term_fr\na,A\n")
    message, _err = run_import(path)
    assert message == (
        "Nothing was imported: the database refused a value of this file "
        "(unsupported Unicode escape sequence)."
    )

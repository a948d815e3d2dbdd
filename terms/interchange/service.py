"""The glossary's import and export, shared by the admin, the commands and the seed.

`import_file` reads a file and applies it through `ConceptResource` all or
nothing; `export_file` writes the whole glossary in one of the formats.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.results import RowResult

from terms.interchange.formats import UnreadableFile, guess_format, read_dataset, write_dataset
from terms.interchange.resource import (
    CONTENT_PARTS,
    BatchConceptResource,
    ConceptResource,
    load_pending,
)
from terms.interchange.skos import write_skos
from terms.interchange.tbx import read_tbx, write_tbx
from terms.models import Concept, ConceptText

EXPORT_CHUNK = 1000


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    problems: list = field(default_factory=list)
    # {slug: [(column, old, new), ...]} for each changed concept.
    changes: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        verb = "would be" if self.dry_run else "were"
        if not self.ok:
            return f"Nothing was imported: {len(self.problems)} problem(s) found."
        return (
            f"{self.new} new, {self.updated} changed, {self.unchanged} unchanged "
            f"concept(s) {verb} imported."
        )


def import_file(data, *, file_name="", file_format=None, dry_run=False):
    """Import the bytes of a CSV, XLSX or JSON file; nothing is written unless all is valid."""
    file_format = file_format or guess_format(file_name, data)
    try:
        dataset = read_tbx(data) if file_format == "tbx" else read_dataset(data, file_format)
    except UnreadableFile as error:
        return ImportReport(dry_run=dry_run, problems=[str(error)])
    return import_dataset(dataset, dry_run=dry_run, file_name=file_name)


def import_dataset(dataset, *, dry_run=False, file_name=""):
    resource = BatchConceptResource()
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        file_name=file_name,
    )
    return report_from_result(result, resource, dry_run=dry_run)


def report_from_result(result, resource, *, dry_run):
    report = ImportReport(dry_run=dry_run, changes=resource.changes)
    report.problems.extend(describe_problems(result))
    totals = result.totals
    report.new = totals.get(RowResult.IMPORT_TYPE_NEW, 0)
    report.updated = totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)
    report.unchanged = totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
    report.invalid = totals.get(RowResult.IMPORT_TYPE_INVALID, 0)
    return report


def describe_problems(result):
    """Every problem of an import as a sentence: the file's, then row by row and column."""
    problems = [str(error.error) for error in result.base_errors]
    for invalid in result.invalid_rows:
        # Row numbers count the header as row 1, as a spreadsheet shows them.
        for column, messages in sorted(invalid.error_dict.items()):
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    sentence = _("Row {number}: {message}")
                else:
                    sentence = _("Row {number}, column {column}: {message}")
                problems.append(
                    sentence.format(number=invalid.number + 1, column=column, message=message)
                )
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(
                _("Row {number}: {message}").format(number=number + 1, message=error.error)
            )
    return problems


def export_dataset(queryset=None):
    """The glossary (or `queryset`) as rows in the interchange columns, ordered by slug.

    Read in slices of EXPORT_CHUNK concepts, texts and links as plain values (no
    model instance per text): flat memory and three queries per slice.
    """
    if queryset is None:
        queryset = Concept.objects.all()
    resource = ConceptResource()
    dataset = tablib.Dataset(headers=resource.get_export_headers())
    ids = list(queryset.order_by("slug").values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        for concept in _concepts_with_content(ids[start : start + EXPORT_CHUNK]):
            dataset.append(resource.export_resource(concept))
    return dataset


def _concepts_with_content(ids):
    """Concepts of `ids` by slug, each with `pending` content and see-also slugs loaded."""
    concepts = list(Concept.objects.filter(pk__in=ids).order_by("slug"))
    by_id = {concept.pk: concept for concept in concepts}
    texts = {concept.pk: [] for concept in concepts}
    for values in ConceptText.objects.filter(concept_id__in=ids).values(
        "concept_id", "language", *CONTENT_PARTS
    ):
        texts[values.pop("concept_id")].append(values)
    links = {concept.pk: [] for concept in concepts}
    for source, slug in Concept.see_also.through.objects.filter(
        from_concept_id__in=ids
    ).values_list("from_concept_id", "to_concept__slug"):
        links[source].append(slug)
    for concept_id, concept in by_id.items():
        load_pending(concept, [SimpleNamespace(**values) for values in texts[concept_id]])
        concept.pending_see_also = sorted(links[concept_id])
    return concepts


def export_file(file_format, queryset=None, *, base_url=None):
    """The glossary (or `queryset`) as bytes in `file_format`.

    Spreadsheets carry every concept with its status; TBX and SKOS have no
    notion of a draft and go to outside tools, so they carry published ones only.
    """
    if file_format in ("tbx", "skos"):
        queryset = (queryset if queryset is not None else Concept.objects.all()).published()
        dataset = export_dataset(queryset)
        if file_format == "tbx":
            return write_tbx(dataset, title=settings.GLOSSARY_TITLE)
        return write_skos(
            dataset,
            base_url=(base_url or settings.GLOSSARY_BASE_URL).rstrip("/"),
            title=settings.GLOSSARY_TITLE,
        )
    return write_dataset(export_dataset(queryset), file_format)

"""Import a glossary file (CSV, XLSX or JSON) exactly as the admin's import does."""

import shlex
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import DatabaseError

from terms.interchange.formats import IMPORT_FORMATS
from terms.interchange.layouts import parse_map_options
from terms.management.progress import TerminalProgress
from terms.writer import import_file


class Command(BaseCommand):
    help = (
        "Imports concepts from a CSV, XLSX or JSON file in the glossary's columns, or a TBX file. "
        "All or nothing: if any row is invalid, nothing is written and every problem is listed. "
        "With --dry-run, shows what would change without writing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, write nothing."
        )
        parser.add_argument(
            "--overwrite-newer",
            action="store_true",
            help=(
                "Import rows made from an older version of their concept (an old export) "
                "all the same, replacing the changes made since."
            ),
        )
        parser.add_argument(
            "--merge-matches",
            action="store_true",
            help=(
                "Merge the entries of another tool's TBX file that name an existing concept "
                "into it (only what they hold is written); without it they are left alone."
            ),
        )
        parser.add_argument(
            "--map",
            action="append",
            metavar="COLUMN=FIELD",
            help=(
                "For another tool's spreadsheet: the glossary field a column of the file holds, "
                "e.g. --map source=term_en --map target=term_fr; an empty FIELD leaves the "
                "column out. Repeat for each column. Weblate's glossary columns are recognised "
                "without it."
            ),
        )
        parser.add_argument(
            "--format",
            choices=IMPORT_FORMATS,
            help="The file's format, when its extension does not say it.",
        )

    # Scripts read this output: it stays in English whatever LANGUAGE_CODE says (the admin
    # tells the same problems in the editor's language).
    @no_translations
    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            mapping = parse_map_options(options["map"])
        except ValueError as error:
            raise CommandError(
                f"--map {error} does not read: write COLUMN=FIELD, e.g. --map source=term_en."
            ) from error
        # The readers turn every file they cannot read into a sentence in the report; a
        # value the database alone refuses is a sentence too, not a traceback (the
        # import is one transaction: nothing was written).
        # On a terminal, a bar shows the rows read, checked and written (on stderr: the
        # report on stdout stays what scripts read).
        progress = TerminalProgress(self.stderr)
        try:
            report = import_file(
                data,
                file_name=path.name,
                file_format=options["format"],
                dry_run=options["dry_run"],
                overwrite_newer=options["overwrite_newer"],
                merge=True if options["merge_matches"] else (),
                mapping=mapping or None,
                progress=progress,
            )
        except DatabaseError as error:
            raise CommandError(
                f"Nothing was imported: the database refused a value of this file ({error})."
            ) from error
        finally:
            progress.close()
        layout = report.layout
        if layout is not None and layout.undecided:
            self.stderr.write("  The file's columns, and where they might go:")
            for column in layout.columns:
                samples = ", ".join(layout.samples[column]) or "empty"
                self.stderr.write(f"    {layout.headers[column]!r} (e.g. {samples})")
            suggestion = " ".join(
                f"--map {shlex.quote(layout.headers[column] + '=' + layout.mapping[column])}"
                for column in layout.columns
            )
            self.stderr.write(f"  Say where each goes, e.g.: {suggestion}")
        elif layout is not None and not layout.own:
            read_as = f"a {layout.tool} glossary" if layout.tool else "the columns given"
            ignored = ", ".join(layout.headers[c] for c in layout.ignored()) or "none"
            self.stderr.write(f"  Read as {read_as}: {layout.describe()} (left out: {ignored})")
        for row in report.stale if report.ok else ():
            self.stderr.write(f"  {row.sentence()}")
        if report.stale and not report.ok:
            self.stderr.write("  Run again with --overwrite-newer to replace those changes.")
        for item in report.left_out:
            examples = f" (e.g. {', '.join(item.examples)})" if item.examples else ""
            self.stderr.write(f"  Not kept: {item.count} {item.what}{examples}")
        if report.new_domains:
            self.stderr.write(f"  New domains: {', '.join(report.new_domains)}")
        for match in report.matches:
            done = "merged into" if match.merged else "left alone, names"
            self.stderr.write(f"  {match.where}: {done} {match.slug} ({match.label})")
        if any(not match.merged for match in report.matches):
            self.stderr.write("  Run again with --merge-matches to merge them.")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(report.summary())
        if options["verbosity"] >= 2 or options["dry_run"]:
            for slug, changes in report.changes.items():
                self.stdout.write(f"{slug}:")
                for column, old, new in changes:
                    self.stdout.write(f"  {column}: {old!r} → {new!r}")
        prefix = "Dry run: " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

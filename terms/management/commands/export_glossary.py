"""Export the whole glossary in one of the interchange formats."""

from django.core.management.base import BaseCommand, CommandError

from terms.interchange.formats import EXPORT_FORMATS
from terms.interchange.service import export_file
from terms.management.progress import TerminalProgress


class Command(BaseCommand):
    help = (
        "Exports every concept, drafts included, in the glossary's columns (csv, xlsx, json), "
        "or the published concepts as TBX-Basic or SKOS Turtle (drafts too with "
        "--include-drafts), to a file or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=EXPORT_FORMATS, default="csv", help="Output format."
        )
        parser.add_argument("--output", help="File to write; standard output when omitted.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Put drafts in TBX and SKOS files too (spreadsheets always hold them).",
        )

    def handle(self, *args, **options):
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError("XLSX is a binary format: give --output FILE.")
        # On a terminal, a bar shows the concepts exported (on stderr, never in the file).
        progress = TerminalProgress(self.stderr)
        try:
            data = export_file(
                options["format"],
                include_drafts=True if options["include_drafts"] else None,
                progress=progress,
            )
        finally:
            progress.close()
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
            if options["verbosity"] >= 1:
                self.stderr.write(self.style.SUCCESS(f"Wrote {options['output']}"))
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

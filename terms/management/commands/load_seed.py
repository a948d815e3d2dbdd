"""Load the seed sales glossary into an empty database (used by `make run`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terms.models import Concept
from terms.writer import import_file

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "glossaire-ventes.csv"


class Command(BaseCommand):
    help = (
        "Imports the seed sales glossary through the normal import, "
        "only when the glossary is empty, so running it again keeps your data."
    )

    def handle(self, *args, **options):
        if Concept.objects.exists():
            if options["verbosity"] >= 1:
                self.stdout.write("The glossary already has concepts; the seed was not loaded.")
            return
        report = import_file(SEED.read_bytes(), file_name=SEED.name)
        if not report.ok:
            raise CommandError("The seed did not load: " + "; ".join(report.problems))
        self.stdout.write(self.style.SUCCESS(f"Seed glossary loaded: {report.summary()}"))

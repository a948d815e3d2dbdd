"""Load the seed sales glossary into an empty database (used by `make run`)."""

from django.core.management.base import BaseCommand, CommandError

from terms.management.seed import load_seed
from terms.models import Concept


class Command(BaseCommand):
    help = (
        "Creates the seed's domains and imports the seed sales glossary through the normal "
        "import, only when the glossary is empty, so running it again keeps your data."
    )

    def handle(self, *args, **options):
        if Concept.objects.exists():
            if options["verbosity"] >= 1:
                self.stdout.write("The glossary already has concepts; the seed was not loaded.")
            return
        report = load_seed()
        if not report.ok:
            raise CommandError("The seed did not load: " + "; ".join(report.problems))
        self.stdout.write(self.style.SUCCESS(f"Seed glossary loaded: {report.summary()}"))

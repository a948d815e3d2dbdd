"""Run the task worker that carries out the admin's imports in the background."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from terms.background import recover_dead_jobs


class Command(BaseCommand):
    help = (
        "Runs the task worker for background imports until stopped (Ctrl+C lets the "
        "current import finish; a second Ctrl+C stops it, and nothing of it is written). "
        "It uses the queue the settings name: the database by default, Redis with REDIS_URL. "
        "`make run` starts one beside the web server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks at the database queue when it is empty.",
        )

    def handle(self, *args, **options):
        # Imports a killed worker of this server left "running" are marked failed, with
        # their import lock released, so the editor can run them again.
        recover_dead_jobs()
        backend = settings.TASKS_BACKEND
        if backend == "immediate":
            self.stdout.write("Tasks run in the request (GLOSSARY_TASKS_BACKEND=immediate).")
            return
        if options["verbosity"] >= 1:
            self.stdout.write(f"Task worker started ({backend} queue).")
        if backend == "redis":
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                verbosity=options["verbosity"],
            )
        else:
            call_command(
                "db_worker",
                interval=options["interval"],
                reload=False,
                startup_delay=False,
                verbosity=options["verbosity"],
            )

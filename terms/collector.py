"""Big batch work (an import, an export) without the garbage collector's full passes.

CPython's cycle collector runs a pass each time enough new container objects (lists,
tuples, dicts…) have piled up, and from time to time a full pass over every object still
alive. An import of 10,000 concepts builds millions of them (records, index rows, the
links of each definition), all alive until it ends: the passes took 4.5 s of its 18 s,
over and over the same objects. Such work makes few reference cycles (after that import,
a collection freed 26,000 objects: 10 MB of a 341 MB peak), so the collector is paused
while it runs, and carries on as usual afterwards.

Pausing is process-wide: in a worker that serves one request at a time (gunicorn's sync
workers, the task worker) nothing else runs meanwhile.
"""

import contextlib
import functools
import gc


@contextlib.contextmanager
def paused():
    """The collector off for the `with` block (left off if it already was)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def while_paused(function):
    """`function`, run with the collector paused."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with paused():
            return function(*args, **kwargs)

    return wrapper

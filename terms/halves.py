"""Pure-Python work over many items, split between this process and a forked copy of it.

What a big import derives from its concepts (index rows, search documents, the links of
every definition) is plain Python over data already in memory: one core does it all while
the others wait. `in_two(work, items)` runs `work` on each half of `items` at once, the
second half in a child made with fork(), which shares what the parent has built (the
mention matcher) without pickling it, and hands back only its result.

The child never touches the database, the cache or a file the parent has open: it computes,
writes its result to a pipe and leaves with os._exit, so nothing the parent holds (its
database connection above all) is closed or flushed twice. Where there is one core, no
fork(), too few items, or the child fails, the parent does all the work itself: the
result is the same, only slower.
"""

import os
import pickle

from terms import collector

# Below this, forking and sending the result back cost more than they save.
MIN_ITEMS = 2000


def in_two(work, *lists, min_items=MIN_ITEMS):
    """[work(*first halves), work(*second halves)] of `lists`, computed at once where the
    machine allows; `work` must return something picklable and have no side effects."""
    if sum(map(len, lists)) < min_items or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return [work(*lists), work(*([] for _list in lists))]
    first = [items[: len(items) // 2] for items in lists]
    second = [items[len(items) // 2 :] for items in lists]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without any clean-up of the parent's
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(*second), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        first_result = work(*first)
    finally:
        # Read before waiting: the child blocks on a full pipe until it is read.
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _pid, status = os.waitpid(pid, 0)
    if status != 0:
        return [first_result, work(*second)]
    # Rebuilding a million small objects set off the garbage collector's full passes over
    # everything the import holds: 0.9 s instead of 0.2.
    with collector.paused():
        return [first_result, pickle.loads(payload)]

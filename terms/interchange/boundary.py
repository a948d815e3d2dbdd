"""The one place where whatever a file reader raises becomes a sentence.

Readers raise UnreadableFile for every problem they foresee, with a sentence that says
what is wrong. Anything else (a parser's own exception on bytes nobody foresaw, memory)
reaches the user as one plain sentence and the log keeps the details, so that no file,
whatever its bytes, ends in a traceback or a server error.
"""

import functools
import logging

from django.utils.translation import gettext as _

from terms.interchange.errors import UnreadableFile

logger = logging.getLogger(__name__)


def sentences_only(reader):
    """Decorate a reader so that it raises UnreadableFile and nothing else."""

    @functools.wraps(reader)
    def read(*args, **kwargs):
        try:
            return reader(*args, **kwargs)
        except UnreadableFile:
            raise
        except MemoryError:
            logger.warning("%s ran out of memory", reader.__qualname__)
            raise UnreadableFile(_("This file is too large to read.")) from None
        except Exception:
            logger.exception("%s failed on a file it should have refused", reader.__qualname__)
            raise UnreadableFile(
                _(
                    "This file cannot be read: it is damaged, or it is not in the format "
                    "its name says. Save it again from your spreadsheet and import that file."
                )
            ) from None

    return read

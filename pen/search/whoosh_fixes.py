"""Work-arounds for whoosh-reloaded 2.7.5, applied once when ``pen.search`` is imported.

Whoosh names new segments and temporary files with the global ``random``
module. A program that seeds it (a data generator, a benchmark) then writes
an index twice gets the same segment name twice, and the second commit fails
on an assertion. Names are drawn from the system's random source instead.
"""

import random

from whoosh.codec import base as codec_base
from whoosh.filedb import compound, filestore

_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_system_random = random.SystemRandom()


def random_name(size: int = 28) -> str:
    """A file or segment name that no seeding of ``random`` can repeat."""
    return "".join(_system_random.choice(_ID_CHARS) for _ in range(size))


def apply() -> None:
    """Point Whoosh's name generators at ``random_name``."""
    for module in (codec_base, compound, filestore):
        module.random_name = random_name

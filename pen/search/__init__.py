"""The search engine: Whoosh indexes every area plugs into through an adapter.

It knows fields and documents, never areas. An area:

1. subclasses ``Adapter`` (fields, ``documents``, ``visibility_terms``,
   ``is_visible``) and calls ``register_adapter(app, adapter)`` when it registers;
2. calls ``enqueue(kind, object_id)`` (or ``op="delete"``) in the same
   transaction as every change that affects an object's document or visibility;
3. calls ``search(kind, user, q, page=…, per_page=…, filters=…, sort=…, reverse=…)``
   and renders the ``Results`` (``search_all(user, q)`` for every kind at once).

The worker task ``search`` applies the outbox to the indexes;
``flask --app pen search reindex|check`` rebuilds and verifies them.

Settings (``PEN_`` environment variables or ``instance/config.py``):
``SEARCH_WRITER_TIMEOUT`` (seconds the drain waits for the index lock),
``SEARCH_DEFAULT_LANGUAGE`` (stemmer for documents that give no ``lang``),
``SEARCH_MAX_QUERY_LENGTH``, ``SEARCH_DRAIN_BATCH``, ``SEARCH_MAX_ATTEMPTS``,
``SEARCH_WARM_TERMS`` (the most frequent words of each text field whose postings a
process reads ahead, in a background thread, when it opens an index version; 0: none),
``SEARCH_REBUILD_MEMORY_MB`` (memory a rebuild sorts postings in before it spills
them to temporary files; 1024 holds about five million postings),
``SEARCH_CACHE_POSTINGS`` (postings a process keeps as arrays for queries, about
12 bytes each; see ``postings.py``).
"""

from collections.abc import Iterable

from flask import Flask

from .. import worker
from . import postings
from .adapters import Adapter, Document, get_adapter, register_adapter, registered
from .models import DELETE, UPSERT, SearchOutbox
from .models import enqueue as _enqueue
from .outbox import DrainReport, drain
from .query import search, search_all
from .results import Hit, Results

__all__ = [
    "DELETE",
    "UPSERT",
    "Adapter",
    "Document",
    "DrainReport",
    "Hit",
    "Results",
    "SearchOutbox",
    "drain",
    "enqueue",
    "get_adapter",
    "kinds",
    "register",
    "register_adapter",
    "search",
    "search_all",
    "warm",
]

DEFAULTS = {
    "SEARCH_WRITER_TIMEOUT": 5.0,
    "SEARCH_DEFAULT_LANGUAGE": "en",
    "SEARCH_MAX_QUERY_LENGTH": 256,
    "SEARCH_DRAIN_BATCH": 500,
    "SEARCH_MAX_ATTEMPTS": 10,
    "SEARCH_WARM_TERMS": 100,
    "SEARCH_REBUILD_MEMORY_MB": 1024,
    "SEARCH_CACHE_POSTINGS": 5_000_000,  # ~60 MB: a web worker stays under 300 MB at S=100
}


def enqueue(kind: str, object_id: int, op: str = UPSERT) -> SearchOutbox:
    """Queue an index change for ``kind``/``object_id`` in the caller's transaction.

    Nothing is committed here: the row exists exactly when the caller's change
    is committed. ``op`` is ``"upsert"`` (default) or ``"delete"``.
    """
    get_adapter(kind)  # a typo in a kind fails here, not silently in the worker
    return _enqueue(kind, object_id, op)


def warm(kinds: Iterable[str] | None = None) -> int:
    """Preload the most frequent words of every (or the named) kind now; how many were read.

    A server does this by itself in the background when it opens an index; a
    benchmark or a start-up hook can call it to wait for it.
    """
    from . import index

    chosen = sorted(registered()) if kinds is None else list(kinds)
    return sum(index.warm(get_adapter(kind)) for kind in chosen)


def kinds() -> list[str]:
    """The searchable kinds of the current app."""
    return sorted(registered())


def register(app: Flask) -> None:
    """Settings defaults, the ``search`` worker task and the ``search`` commands."""
    from . import cli

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    postings.set_capacity(app.config["SEARCH_CACHE_POSTINGS"])
    worker.register_task(app, "search", drain)
    cli.register(app)

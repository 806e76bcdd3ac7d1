"""The search engine: Whoosh indexes every area plugs into through an adapter.

It knows fields and documents, never areas. An area:

1. subclasses ``Adapter`` (fields, ``documents``, ``visibility_terms``,
   ``is_visible``) and calls ``register_adapter(app, adapter)`` when it registers;
2. calls ``enqueue(kind, object_id)`` (or ``op="delete"``) in the same
   transaction as every change that affects an object's document or visibility
   (a row of the change log, which every server follows into its own index);
3. calls ``search(kind, user, q, page=…, per_page=…, filters=…, sort=…, reverse=…)``
   and renders the ``Results`` (``search_all(user, q)`` for every kind at once).

The worker task ``search`` follows the log into this server's indexes (and
rebuilds one that is missing or left behind: web requests never do);
``flask --app pen search reindex|check|replicas`` rebuilds, verifies and reports.
``readiness()`` tells whether this server's indexes and worker are current.

Settings (``PEN_`` environment variables or ``instance/config.py``):
``INDEX_DIR`` (this server's own index folder, on a local disk),
``SEARCH_WRITER_TIMEOUT`` (seconds the drain waits for the index lock),
``SEARCH_DEFAULT_LANGUAGE`` (stemmer for documents that give no ``lang``),
``SEARCH_MAX_QUERY_LENGTH``, ``SEARCH_DRAIN_BATCH``, ``SEARCH_MAX_ATTEMPTS``,
``SEARCH_WARM_TERMS`` (the most frequent words of each text field whose postings a
process reads ahead, in a background thread, when it opens an index version; 0: none),
``SEARCH_REBUILD_MEMORY_MB`` (memory a rebuild sorts postings in before it spills
them to temporary files; 1024 holds about five million postings),
``SEARCH_CACHE_POSTINGS`` (postings a process keeps as arrays for queries, 8 bytes
each; see ``postings.py``), ``SEARCH_LOG_RETENTION_HOURS`` (log rows are
kept at most this long), ``SEARCH_REPLICA_LIVE_MINUTES`` (a replica whose worker
was not seen this long no longer holds back pruning), ``SEARCH_READY_LAG_SECONDS``
(readiness fails when a change waits longer), ``SEARCH_REPLICA_NAME``,
``SEARCH_SYNONYMS_REFRESH_SECONDS`` (a process reads the administrators' synonym
list again at most this often; ``synonyms.py``).
"""

from collections.abc import Iterable

from flask import Flask

from .. import worker
from . import cache
from .adapters import Adapter, Document, get_adapter, register_adapter, registered
from .follow import DrainReport, drain
from .health import figures as health_figures
from .health import readiness
from .index import IndexUnavailable
from .models import DELETE, UPSERT, SearchLog
from .models import enqueue as _enqueue
from .results import Hit, Results
from .synonyms import seed as seed_synonyms

__all__ = [
    "DELETE",
    "UPSERT",
    "Adapter",
    "Document",
    "DrainReport",
    "Hit",
    "IndexUnavailable",
    "Results",
    "SearchLog",
    "drain",
    "enqueue",
    "get_adapter",
    "kinds",
    "readiness",
    "register",
    "register_adapter",
    "search",
    "search_all",
    "seed_synonyms",
    "warm",
]

DEFAULTS = {
    "SEARCH_WRITER_TIMEOUT": 5.0,
    "SEARCH_DEFAULT_LANGUAGE": "en",
    "SEARCH_MAX_QUERY_LENGTH": 256,
    "SEARCH_DRAIN_BATCH": 500,
    "SEARCH_MAX_ATTEMPTS": 10,  # failed passes over a batch before its bad objects are set aside
    "SEARCH_LOG_RETENTION_HOURS": 72,
    "SEARCH_REPLICA_LIVE_MINUTES": 60,
    "SEARCH_READY_LAG_SECONDS": 120,
    "SEARCH_REPLICA_NAME": None,
    "SEARCH_WARM_TERMS": 100,
    "SEARCH_REBUILD_MEMORY_MB": 1024,
    "SEARCH_CACHE_POSTINGS": 5_000_000,  # ~60 MB: a web worker stays under 300 MB at S=100
    "SEARCH_SYNONYMS_REFRESH_SECONDS": 30,  # how stale a process's synonym list may get
}


def search(kind: str, user, q: str | None = "", **options) -> Results:
    """``query.search``: the documents of ``kind`` that ``user`` may see (its docstring
    says the options). The engine, and NumPy with it, is imported with the first search."""
    from . import query

    return query.search(kind, user, q, **options)


def search_all(user, q: str | None, **options) -> dict[str, Results]:
    """``query.search_all``: the first hits of every kind, for a unified search page."""
    from . import query

    return query.search_all(user, q, **options)


def enqueue(kind: str, object_id: int, op: str = UPSERT) -> SearchLog:
    """Log an index change for ``kind``/``object_id`` in the caller's transaction.

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
    """Settings defaults, the ``search`` worker task, its readiness check and commands."""
    from .. import health, metrics
    from . import cli

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    cache.set_capacity(app.config["SEARCH_CACHE_POSTINGS"])
    worker.register_task(app, "search", drain)
    health.register_check(app, readiness)
    metrics.register_figures(app, health_figures)
    cli.register(app)

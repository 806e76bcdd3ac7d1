"""The Whoosh indexes: one per kind in ``INDEX_DIR/<kind>/`` (``DATA_DIR/index`` by default).

A web request never builds an index: one that is missing, unreadable or built
with another schema raises ``IndexUnavailable`` (search pages say search is
being rebuilt), and the worker or ``search reindex`` rebuilds it. Writes go
through ``ix.writer(timeout=…)`` only, one writer at a time per index; never
AsyncWriter or BufferedWriter, whose buffered writes die with the process.

A segment is read with ordinary file reads, except its term tables, which are mapped
(``storage``; ``whoosh_fixes.open_file``). Whoosh maps whole segments: a mapped page a
search touched stays in the worker's resident set until the index version is closed,
so a worker's RSS grew with the part of the index its searches had read (52 MB after
one round of the benchmark's searches at S=100, up to the whole index, 950 MB there,
over time), in every worker. Postings, columns and stored fields are read in large
pieces and decoded (the postings into the process's cache), so reading them costs
nothing more; looking words up in the term tables is thousands of tiny reads a search,
which a mapping serves in place (read, they cost a unified search 30% more CPU). The
term tables are a tenth of an index (97 of 950 MB at S=100).
"""

import functools
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import FileLock
from whoosh.writing import CLEAR, SegmentWriter

from . import changelog, replicas, stemming, whoosh_fixes
from .adapters import Adapter
from .schema import build_schema, to_fields

whoosh_fixes.apply()

REBUILD_LOCK_TIMEOUT = 120.0  # a rebuild waits this long for the drain's writer
CACHED_SEARCHERS = 16  # per thread
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")
_local = threading.local()


class SchemaChanged(Exception):
    """The index on disk was built from another field declaration."""


class IndexUnavailable(Exception):
    """The index of a kind cannot be read here until the worker has rebuilt it."""


@functools.lru_cache(maxsize=64)
def schema_for(adapter: Adapter):
    """The schema of an adapter, built once."""
    return build_schema(adapter)


def signature(schema) -> tuple:
    """What must match between the schema on disk and the declared one."""
    items = []
    for name, field in sorted(schema.items()):
        analyzer = getattr(field, "analyzer", None)
        parts = getattr(analyzer, "items", [analyzer] if analyzer else [])
        chain = tuple(f"{type(p).__name__}:{getattr(p, 'lang', '')}" for p in parts)
        column = type(field.column_type).__name__
        items.append((name, type(field).__name__, field.stored, column, chain))
    return tuple(items)


def index_dir(kind: str) -> Path:
    """Where the index of ``kind`` lives."""
    return Path(current_app.config["INDEX_DIR"]) / kind


def storage(kind: str) -> FileStorage:
    """The folder of ``kind``'s index, its segments read (their term tables mapped)."""
    return FileStorage(str(index_dir(kind)), supports_mmap=False)


def open_existing(adapter: Adapter):
    """Open the index and prove it readable and of the declared schema; raise otherwise."""
    ix = storage(adapter.kind).open_index()
    if signature(ix.schema) != signature(schema_for(adapter)):
        raise SchemaChanged(adapter.kind)
    with ix.reader() as reader:
        reader.doc_count()
    return ix


def open_index(adapter: Adapter):
    """The index of ``adapter.kind``; ``IndexUnavailable`` if it must be rebuilt first."""
    try:
        return open_existing(adapter)
    except Exception as exc:
        raise IndexUnavailable(f"{adapter.kind}: {type(exc).__name__}: {exc}") from exc


def usable(adapter: Adapter) -> bool:
    """Whether the index of ``adapter.kind`` opens, readable and of the declared schema."""
    try:
        open_existing(adapter)
    except Exception:
        return False
    return True


@contextmanager
def _repair_lock(kind: str):
    """Serialise the creation of one index across processes."""
    directory = index_dir(kind).parent
    directory.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(directory / f".{kind}.repair.lock"))
    lock.acquire(blocking=True)
    try:
        yield
    finally:
        lock.release()


def _open_or_create(adapter: Adapter):
    """The existing index if usable, else a new empty one in its directory."""
    with _repair_lock(adapter.kind):
        try:
            return open_existing(adapter)
        except Exception:
            path = index_dir(adapter.kind)
            path.mkdir(parents=True, exist_ok=True)
            return storage(adapter.kind).create_index(schema_for(adapter))


def rebuild(adapter: Adapter, progress: Callable[[int], None] | None = None,
            procs: int = 1) -> int:
    """Replace the index of a kind with what the database holds now; the document count.

    The log's horizon is read first, and this replica's position set to it after
    the commit: every change below it is in what the rebuild read, and the worker
    applies those after it. Readers see the old index until the commit. The
    writer lock is held for the whole rebuild, so the drain leaves its rows for
    afterwards (re-applying them is harmless: an upsert reads the database again).
    ``procs`` > 1 lets Whoosh analyse documents in that many processes (the command line uses it;
    still one synchronous writer that commits at the end).
    """
    start = changelog.horizon()
    ix = _open_or_create(adapter)
    default_lang = current_app.config["SEARCH_DEFAULT_LANGUAGE"]
    # Whoosh sorts postings in memory up to ``limitmb`` (its estimate, close to the real
    # use) and beyond that in runs pickled to temporary files: a third of a rebuild.
    memory = int(current_app.config.get("SEARCH_REBUILD_MEMORY_MB", 1024))
    writer = ix.writer(timeout=REBUILD_LOCK_TIMEOUT, limitmb=max(32, memory // max(1, procs)),
                       procs=max(1, procs), multisegment=procs > 1)
    # The declared schema, not the one read from disk: their signatures match (or the
    # index was just created), and the declared one may index faster (``FoldedPositions``).
    writer.schema = schema_for(adapter)
    count = 0
    try:
        for doc in adapter.documents():
            writer.add_document(**to_fields(adapter, doc, default_lang))
            count += 1
            if progress:
                progress(1)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR)
    replicas.advance(adapter.kind, start, rebuilt=True)
    return count


def open_writer(ix) -> SegmentWriter:
    """The one writer of an index; LockError if another holds it past the timeout."""
    timeout = float(current_app.config["SEARCH_WRITER_TIMEOUT"])
    return ix.writer(timeout=timeout)


def apply_changes(adapter: Adapter, writer, upserts: Collection[int],
                  deletes: Collection[int]) -> tuple[int, int]:
    """Re-read ``upserts`` from the database into the writer; remove the rest and ``deletes``.

    Returns (documents written, ids removed). The caller commits.
    """
    default_lang = current_app.config["SEARCH_DEFAULT_LANGUAGE"]
    found: set[int] = set()
    if upserts:
        for doc in adapter.documents(list(upserts)):
            writer.update_document(**to_fields(adapter, doc, default_lang))
            found.add(doc.id)
    gone = (set(upserts) - found) | set(deletes)
    for object_id in gone:
        writer.delete_by_term("id", str(object_id))
    return len(found), len(gone)


def indexed_ids(ix) -> set[int]:
    """The ids of the live (not deleted) documents of an open index."""
    with ix.reader() as reader:
        return {int(stored["id"]) for _, stored in reader.iter_docs()}


def compare(adapter: Adapter) -> tuple[set[int], set[int]]:
    """(ids missing from the index, ids in the index the database no longer has).

    Raises if the index cannot be opened: a check reports, it does not repair.
    """
    in_database = {int(i) for i in adapter.ids()}
    in_index = indexed_ids(open_existing(adapter))
    return in_database - in_index, in_index - in_database


def _searchers() -> OrderedDict:
    """This thread's open searchers and the index version each one reads."""
    if not hasattr(_local, "searchers"):
        _local.searchers = OrderedDict()
    return _local.searchers


def _version(kind: str) -> tuple | None:
    """What identifies the committed state of an index on disk: its newest table of contents.

    The file's inode and modification time change when an index is deleted and
    rebuilt, even if the generation number comes back the same.
    """
    try:
        entries = [e for e in os.scandir(index_dir(kind)) if _TOC.match(e.name)]
    except OSError:
        return None
    if not entries:
        return None
    newest = max(entries, key=lambda e: int(_TOC.match(e.name).group(1)))
    stat = newest.stat()
    return newest.name, stat.st_ino, stat.st_mtime_ns


def _searcher_key(adapter: Adapter) -> tuple:
    """Searchers are kept per data directory, kind and adapter (whose schema they read)."""
    return current_app.config["INDEX_DIR"], adapter.kind, id(adapter)


def searcher(adapter: Adapter):
    """An open searcher on the latest version of a kind's index, kept between requests.

    Opening an index costs tens of milliseconds, so each thread keeps its
    searcher and replaces it when the index on disk has changed. Do not close it.
    """
    key = _searcher_key(adapter)
    cache = _searchers()
    version = _version(adapter.kind)
    cached = cache.get(key)
    if cached is not None and version is not None and cached[1] == version:
        cache.move_to_end(key)
        return cached[0]
    forget_searcher(adapter)
    ix = open_index(adapter)
    opened = ix.searcher()
    cache[key] = (opened, version)  # the version read before opening: never newer
    _warm_in_background(ix, adapter)
    while len(cache) > CACHED_SEARCHERS:
        cache.popitem(last=False)[1][0].close()
    return opened


def warm(adapter: Adapter, terms_per_field: int | None = None) -> int:
    """Preload the most frequent words of a kind's text fields; how many were read."""
    count = _warm_terms() if terms_per_field is None else terms_per_field
    try:
        ix = open_index(adapter)
    except IndexUnavailable:
        return 0
    with ix.reader() as reader:
        return _warm_reader(reader, list(adapter.text_fields), count)


def _warm_reader(reader, fields: list[str], count: int) -> int:
    """Each segment's stemming tables, then the postings of its frequent words."""
    from . import postings  # NumPy comes with the first index opened, not with the app

    for leaf, _base in reader.leaf_readers():
        for name in fields:
            stemming.stem_tables(leaf, name)
    return postings.warm(reader, fields, count)


def _warm_terms() -> int:
    """``SEARCH_WARM_TERMS``: words per text field preloaded when an index version opens."""
    return int(current_app.config.get("SEARCH_WARM_TERMS", 0))


def _warm_in_background(ix, adapter: Adapter) -> None:
    """Preload the frequent words of a newly opened index version in a daemon thread.

    Segments already read are cached, so after a small commit only the new
    segment is read. The thread has its own reader (a reader is not thread-safe).
    """
    count = _warm_terms()
    if count <= 0:
        return
    fields = list(adapter.text_fields)

    def run() -> None:
        """Read, and never fail loudly: this is only an optimisation."""
        try:
            with ix.reader() as reader:
                _warm_reader(reader, fields, count)
        except Exception:
            logging.getLogger(__name__).debug("search warm-up failed", exc_info=True)

    threading.Thread(target=run, name=f"search-warm-{adapter.kind}", daemon=True).start()


def forget_searcher(adapter: Adapter) -> None:
    """Close and drop this thread's searcher of a kind (after an error, say)."""
    old = _searchers().pop(_searcher_key(adapter), None)
    if old is not None:
        try:
            old[0].close()
        except Exception:
            current_app.logger.info("closing a stale searcher failed", exc_info=True)

"""``flask --app pen search reindex|check|replicas``: rebuild this server's indexes, compare
them with the database, show how far every server has followed the change log."""

import time

import click
from flask import Flask
from flask.cli import AppGroup

from ..types import utcnow
from . import changelog, index, parallel, replicas
from .adapters import Adapter, registered
from .changelog import Position

search_cli = AppGroup("search", help="Rebuild and check this server's search indexes.")
KIND_OPTION = click.option("--kind", "kinds", multiple=True, metavar="KIND",
                           help="Only this kind (repeat for several); default: all.")


def _selected(kinds: tuple[str, ...]) -> list[Adapter]:
    """The adapters named on the command line, or all of them."""
    adapters = registered()
    unknown = sorted(set(kinds) - set(adapters))
    if unknown:
        known = ", ".join(sorted(adapters)) or "none"
        raise click.BadParameter(f"unknown kind {', '.join(unknown)} (known: {known})",
                                 param_hint="--kind")
    return [adapters[k] for k in sorted(adapters) if not kinds or k in kinds]


@search_cli.command("reindex")
@KIND_OPTION
@click.option("--procs", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Processes analysing documents (worth it with idle CPUs).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Kinds rebuilt side by side, each in its own process (one per core).")
def reindex(kinds: tuple[str, ...], procs: int, jobs: int) -> None:
    """Rebuild this server's indexes from the database."""
    rebuild(_selected(kinds), procs, jobs)


def rebuild(adapters: list[Adapter], procs: int = 1, jobs: int = 1) -> int:
    """Rebuild these kinds, one by one with progress bars or ``jobs`` at a time; the
    number of documents. Prints a line per kind and a summary."""
    started = time.monotonic()
    if jobs > 1 and len(adapters) > 1:
        sizes = {adapter.kind: sum(1 for _ in adapter.ids()) for adapter in adapters}
        total = parallel.rebuild_side_by_side(
            sorted(sizes, key=sizes.get, reverse=True), jobs, procs,
            lambda kind, count, seconds: click.echo(
                f"{kind}: {count} documents in {seconds:.1f} s"))
    else:
        total = sum(_reindex_one(adapter, procs) for adapter in adapters)
    click.echo(f"Reindexed {total} documents in {time.monotonic() - started:.1f} s.")
    return total


def _reindex_one(adapter: Adapter, procs: int) -> int:
    """Rebuild one kind with a progress bar; print its line of the summary."""
    started = time.monotonic()
    expected = sum(1 for _ in adapter.ids())
    with click.progressbar(length=expected, label=f"{adapter.kind:<12}", show_pos=True) as bar:
        count = index.rebuild(adapter, progress=bar.update, procs=procs)
    click.echo(f"{adapter.kind}: {count} documents in {time.monotonic() - started:.1f} s")
    return count


@search_cli.command("check")
@KIND_OPTION
@click.pass_context
def check(ctx: click.Context, kinds: tuple[str, ...]) -> None:
    """Compare index and database ids; exit 1 naming every difference."""
    differences = sum(_check_one(adapter) for adapter in _selected(kinds))
    if differences:
        click.echo(f"{differences} difference(s); `flask --app pen search reindex` rebuilds "
                   "the indexes from the database.")
        ctx.exit(1)
    click.echo("Search indexes match the database.")


def _check_one(adapter: Adapter) -> int:
    """Print the differences of one kind; how many there are."""
    kind = adapter.kind
    try:
        missing, stale = index.compare(adapter)
    except Exception as exc:
        click.echo(f"{kind}: the index cannot be opened ({type(exc).__name__}: {exc})")
        return 1
    if missing:
        click.echo(f"{kind}: {len(missing)} missing in index: {_ids(missing)}")
    if stale:
        click.echo(f"{kind}: {len(stale)} stale in index: {_ids(stale)}")
    position = replicas.cursor(kind) or changelog.START
    pending = len(changelog.pending_objects(kind, position, 100_000))
    if pending:
        click.echo(f"{kind}: {pending} object(s) with changes not yet applied on this server")
    if not (missing or stale):
        click.echo(f"{kind}: OK")
    return len(missing) + len(stale)


@search_cli.command("replicas")
def replicas_command() -> None:
    """How far each server's indexes have followed the change log."""
    rows = replicas.all_rows()
    if not rows:
        click.echo("No server has built its indexes yet (the worker does, or `search reindex`).")
    here, now = replicas.replica_id(), utcnow()
    for row in rows:
        position = Position(row.applied_key, row.applied_id)
        oldest = changelog.oldest_after(row.kind, position)
        behind = f"{(now - oldest).total_seconds():.0f} s behind" if oldest else "current"
        seen = (now - row.seen_at).total_seconds()
        mark = " (this server)" if row.replica == here else ""
        error = f"; last error: {row.last_error}" if row.last_error else ""
        click.echo(f"{row.name}{mark} {row.kind}: {behind}, worker seen {seen:.0f} s ago"
                   f"{error}")


def _ids(ids: set[int]) -> str:
    """Ids in order, comma-separated."""
    return ", ".join(str(i) for i in sorted(ids))


def register(app: Flask) -> None:
    """Add the ``search`` command group."""
    app.cli.add_command(search_cli)

"""``python -m bench run``: the network-scale benchmark (see bench/run.py and the README).

    python -m bench run --scale 1 --db sqlite --duration 10 --clients 8 --workers 2
    python -m bench run --scale 1 --db postgresql
    python -m bench run --compare 1 100 --db sqlite     # growth, from the saved results
    python -m bench summary s1-sqlite s1-postgresql      # saved results side by side
    python -m bench generate --scale 1 --seed 2011       # the generator alone (PEN_* settings)
    python -m bench relevance --label after              # the judged queries (bench/relevance.py)

The per-area benchmarks stay where they were: ``python -m bench.forums`` and so on.
"""

import tempfile
from pathlib import Path

import click

RESULTS = Path(__file__).resolve().parent / "results"


@click.group()
def main() -> None:
    """PEN benchmarks."""


@main.command("run")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True)
@click.option("--db", type=click.Choice(["sqlite", "postgresql"]), default="sqlite",
              show_default=True)
@click.option("--duration", type=click.FloatRange(min=1), default=10.0, show_default=True,
              help="Seconds each page is driven (after a short warm-up).")
@click.option("--clients", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Concurrent clients (threads, keep-alive connections).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="gunicorn worker processes.")
@click.option("--threads", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Threads per gunicorn worker (gthread).")
@click.option("--seed", type=int, default=2011, show_default=True)
@click.option("--page", "only", multiple=True, help="Only pages whose name starts so "
              "(repeatable); the ceiling is always measured.")
@click.option("--page-chars", type=int, default=None, help="Passed to the generator.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(tempfile.gettempdir()) / "pen-bench", show_default=True,
              help="Where the SQLite database, the index and the uploads go.")
@click.option("--results", type=click.Path(file_okay=False, path_type=Path), default=RESULTS,
              show_default=True)
@click.option("--reuse", is_flag=True, help="Reuse a network generated earlier in --workdir "
              "for the same scale, seed, database and commit, instead of a fresh one.")
@click.option("--setting", "extra", multiple=True, metavar="NAME=VALUE",
              help="A PEN_ setting for the server, e.g. SEARCH_CACHE_POSTINGS=2000000.")
@click.option("--compare", nargs=2, type=float, default=None, metavar="S1 S2",
              help="Print the growth between two saved results instead of running.")
def run_command(scale, db, duration, clients, workers, threads, seed, only, page_chars,
                workdir, results, reuse, extra, compare) -> None:
    """Generate at scale S, serve with gunicorn, drive every page, write the report."""
    from bench import report

    if compare:
        small, large = (report.load(results, s, db) for s in compare)
        text = report.compare(small, large)
        name = f"growth-{report.result_name(compare[0], db)}-s{compare[1]:g}".replace(".", "_")
        (results / f"{name}.md").write_text(text)
        click.echo(text)
        return
    from bench import run

    result = run.run(scale, db, duration, clients, workers, threads, seed, list(only), workdir,
                     results, page_chars, reuse,
                     dict(item.split("=", 1) for item in extra if "=" in item))
    click.echo(report.markdown(result))


@main.command("summary")
@click.argument("names", nargs=-1, required=True)
@click.option("--results", type=click.Path(file_okay=False, path_type=Path), default=RESULTS,
              show_default=True)
def summary_command(names, results) -> None:
    """Saved results side by side, e.g. ``summary s1-sqlite s1-postgresql s10-sqlite``."""
    import json

    from bench import report

    click.echo(report.summary([json.loads((results / f"{n}.json").read_text())
                               for n in names]))


@main.command("relevance")
@click.option("--label", default="current", show_default=True,
              help="Names the result files: results/relevance-LABEL.json and .md.")
@click.option("--lang", "languages", multiple=True, help="Only queries in this language.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N judged queries.")
@click.option("--results", type=click.Path(file_okay=False, path_type=Path), default=RESULTS,
              show_default=True)
def relevance_command(label, languages, limit, results) -> None:
    """nDCG@10, MRR and recall@50 of the judged queries, by language and type."""
    from bench import relevance, relevance_metrics

    click.echo(relevance_metrics.markdown(relevance.run(label, results, languages, limit)))


def _add_generator() -> None:
    """``generate``, the network generator (``bench/cli.py``)."""
    from bench.cli import generate_command

    main.add_command(generate_command)


_add_generator()

if __name__ == "__main__":
    main()

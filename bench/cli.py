"""``python -m bench generate``: the network-scale data generator as a command.

The benchmark is a development tool beside the package: it builds the app itself
(``pen.create_app()``, configured by the ``PEN_*`` environment like any command),
so the platform never imports it.
"""

import json
import os
import time

import click


@click.command("generate")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="1 = 550 members, 5,000 posts, 500 documents; "
                                      "10 and 100 multiply them.")
@click.option("--seed", type=int, default=2011, show_default=True)
@click.option("--page-chars", type=click.IntRange(100, 20_000), default=None,
              help="Characters per document page [default: 1500 up to S=10, fewer above].")
@click.option("--procs", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Processes analysing documents during the reindex.")
@click.option("--jobs", type=click.IntRange(1, 16), default=os.cpu_count() or 1,
              show_default="one per core",
              help="Search indexes rebuilt side by side, each in its own process.")
@click.option("--info", "info_path", type=click.Path(dir_okay=False), default=None,
              help="Write what was generated (counts, ids, timings) to this JSON file.")
def generate_command(scale: float, seed: int, page_chars: int | None, procs: int,
                     jobs: int, info_path: str | None) -> None:
    """Fill an EMPTY database with a network at scale S, then build the search index."""
    from pen import create_app

    with create_app().app_context():
        _generate(scale, seed, page_chars, procs, jobs, info_path)


def _generate(scale: float, seed: int, page_chars: int | None, procs: int, jobs: int,
              info_path: str | None) -> None:
    """The generator's run inside the app: refuse a non-empty database, fill, index, report."""
    from bench import generate as generator

    if not generator.is_empty():
        raise click.ClickException(
            "The database is not empty: the generator only fills an empty database "
            "(create a new one, or point PEN_DATABASE_URL at another).")
    generator.ensure_schema()
    options = generator.Options(scale=scale, seed=seed, procs=procs,
                                page_chars=generator.per_page_chars(scale, page_chars))
    started = time.perf_counter()
    info = generator.generate(options)
    seconds = {"generate": time.perf_counter() - started}
    seconds["index"] = generator.reindex(procs, jobs)
    info.update(scale=scale, seed=seed, page_chars=options.page_chars, seconds=seconds)
    click.echo(generator.summary(info, seconds))
    if info_path:
        with open(info_path, "w", encoding="utf-8") as f:
            json.dump(info, f, indent=2)

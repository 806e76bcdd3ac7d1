"""What a signed-in request costs beyond an anonymous one, in one process:
``python -m bench.overhead WORKDIR``.

Opens a network made by ``python -m bench run --workdir WORKDIR`` (SQLite) or, with
``--db-url``, a PostgreSQL one, and requests the bench's ceiling page (the base layout,
no work of its own) anonymously and as a generated member signed in through the login
form, alternately, in ``--rounds`` batches of ``--runs`` requests each; then each of the
``--path`` pages as the member. Per page: the CPU time of a request (``time.thread_time``,
the least of the batches' means: noise from other processes only ever adds), the time
spent in the garbage collector (``gc.callbacks``) and the Python function calls of one
request (cProfile's count: the same on every run, whatever the machine's speed). With
``--frozen`` the heap is first frozen the way ``pen.gunicorn_conf.post_worker_init``
does in a gunicorn worker. Figures only: nothing is asserted.

Like the other in-process tools it imports nothing of ``pen`` but ``create_app`` (and,
with ``--frozen``, ``pen.gunicorn_conf``), so a copy of it and of ``bench/inprocess.py``
run with an older tree first on ``PYTHONPATH`` measures that tree on the same network.
"""

import cProfile
import gc
import json
import pstats
import time
from pathlib import Path

import click

from bench import serve
from bench.inprocess import production_app, signed_in

CEILING = "/_bench/ceiling"


class CollectorClock:
    """CPU time the garbage collector takes, from ``gc.callbacks``."""

    def __init__(self):
        """Not started; nothing counted."""
        self.spent, self._started = 0.0, None
        gc.callbacks.append(self._note)

    def _note(self, phase: str, _info: dict) -> None:
        """A collection starts or stops."""
        if phase == "start":
            self._started = time.thread_time()
        elif self._started is not None:
            self.spent += time.thread_time() - self._started


def _batch(client, path: str, runs: int, collector: CollectorClock) -> tuple[float, float]:
    """Mean CPU ms of a request to ``path`` over ``runs``, and of the collector in it."""
    collector.spent = 0.0
    started = time.thread_time()
    for _ in range(runs):
        client.get(path)
    return ((time.thread_time() - started) * 1000 / runs, collector.spent * 1000 / runs)


def _calls(client, path: str) -> int:
    """Python function calls of one request to ``path``."""
    profiler = cProfile.Profile()
    profiler.runcall(client.get, path)
    return pstats.Stats(profiler).total_calls


def _least(client, path: str, rounds: int, runs: int, collector) -> tuple[float, float]:
    """The least batch mean of ``path`` (CPU ms, collector ms) over ``rounds`` batches."""
    batches = [_batch(client, path, runs, collector) for _ in range(rounds)]
    return min(b[0] for b in batches), min(b[1] for b in batches)


@click.command()
@click.argument("workdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--db-url", help="A PostgreSQL network instead of WORKDIR's SQLite file.")
@click.option("--email", default="member10@bench.example", show_default=True)
@click.option("--rounds", default=10, show_default=True)
@click.option("--runs", default=100, show_default=True)
@click.option("--frozen", is_flag=True, help="Freeze the heap as a gunicorn worker does.")
@click.option("--path", "paths", multiple=True, help="A page to measure as the member too.")
def main(workdir: Path, db_url: str | None, email: str, rounds: int, runs: int,
         frozen: bool, paths: tuple[str, ...]):
    """Measure the signed-in overhead on the ceiling page, and any ``--path``."""
    info = json.loads((workdir / "generated.json").read_text())
    app = serve.install(production_app(db_url or f"sqlite:///{workdir / 'pen.sqlite3'}",
                                       workdir), with_ceiling=True, with_timing=False)
    member, anonymous = signed_in(app, email, info["password"]), app.test_client()
    anonymous.environ_base["wsgi.url_scheme"] = "https"
    for client, path in [(anonymous, CEILING), *((member, p) for p in (CEILING, *paths))]:
        for _ in range(5):
            client.get(path)
    if frozen:
        from pen import gunicorn_conf

        gunicorn_conf.settle_heap()
    collector = CollectorClock()
    anon, mine = [], []
    for _ in range(rounds):  # alternately, so both see the same machine
        anon.append(_batch(anonymous, CEILING, runs, collector)[0])
        mine.append(_batch(member, CEILING, runs, collector)[0])
    click.echo(f"ceiling: anonymous {min(anon):.2f} ms CPU, signed in {min(mine):.2f}, "
               f"overhead {min(mine) - min(anon):.2f} ms; calls {_calls(anonymous, CEILING)} "
               f"and {_calls(member, CEILING)}")
    for path in paths:
        cpu, collecting = _least(member, path, rounds, runs, collector)
        click.echo(f"{path}: {cpu:.2f} ms CPU, of which {collecting:.2f} in the garbage "
                   f"collector; {_calls(member, path)} calls")


if __name__ == "__main__":
    main()

"""A setting that cannot work stops start-up with one line naming it, never a traceback.

Each case starts the real command in a subprocess, as an operator would, and reads what
the terminal shows: the exit code and stderr.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pen import startup
from tests.reliability.conftest import free_port

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


def run_pen(tmp_path: Path, *command: str, **settings: str) -> subprocess.CompletedProcess:
    """``command`` (``flask --app pen ...`` or gunicorn) with a fresh instance and ``settings``."""
    env = {**os.environ, "PEN_INSTANCE_PATH": str(tmp_path / "instance"),
           "PEN_DATA_DIR": str(tmp_path / "data"), "PEN_SECRET_KEY": uuid.uuid4().hex,
           **{f"PEN_{name}": value for name, value in settings.items()}}
    return subprocess.run([str(BIN / command[0]), *command[1:]], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def serve(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    """``flask --app pen serve`` on a free port: it must stop before serving."""
    return run_pen(tmp_path, "flask", "--app", "pen", "serve", "--port", str(free_port()),
                   **settings)


def only_line(done: subprocess.CompletedProcess) -> str:
    """stderr, which must be exactly one line."""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_an_unknown_rate_limit_store_is_named(tmp_path):
    done = serve(tmp_path, RATELIMIT_STORAGE_URI="nosuch://127.0.0.1:1")
    assert done.returncode == 1
    line = only_line(done)
    assert line.startswith("Error: PEN_RATELIMIT_STORAGE_URI: cannot use nosuch://127.0.0.1:1")


def test_a_redis_that_does_not_answer_is_named_without_its_password(tmp_path):
    done = serve(tmp_path, RATELIMIT_STORAGE_URI=f"redis://:s3cret@127.0.0.1:{free_port()}")
    assert done.returncode == 1
    line = only_line(done)
    assert line.startswith("Error: PEN_RATELIMIT_STORAGE_URI: redis://:***@127.0.0.1:")
    assert "does not answer" in line and "s3cret" not in line


@pytest.mark.parametrize("setting", ["DATA_DIR", "INDEX_DIR", "UPLOADS_DIR"])
def test_a_data_folder_that_is_a_file_is_named(tmp_path, setting):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    done = run_pen(tmp_path, "flask", "--app", "pen", "db", "upgrade", **{setting: str(blocker)})
    assert done.returncode == 1
    assert only_line(done).startswith(f"Error: PEN_{setting}: {blocker} is not a folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any folder")
def test_a_read_only_data_folder_is_named(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    done = serve(tmp_path, DATA_DIR=str(folder))
    assert done.returncode == 1
    assert only_line(done).startswith(f"Error: PEN_DATA_DIR: {folder} is not a folder")


def test_an_unreachable_database_is_named_by_flask_commands(tmp_path):
    url = f"postgresql+psycopg://pen:s3cret@127.0.0.1:{free_port()}/pen"
    done = serve(tmp_path, DATABASE_URL=url)
    assert done.returncode == 1
    line = only_line(done)
    assert line.startswith("Error: PEN_DATABASE_URL: could not connect to "
                           "postgresql+psycopg://pen:***@127.0.0.1:")
    assert "s3cret" not in line and "refused" in line.lower()


def gunicorn_messages(done: subprocess.CompletedProcess) -> list[str]:
    """What gunicorn printed on stderr besides its own log lines ``[time] [pid] [LEVEL]``."""
    return [line for line in done.stderr.splitlines() if line and not line.startswith("[")]


def test_gunicorn_with_the_pen_settings_stops_before_any_worker(tmp_path):
    url = f"postgresql+psycopg://pen@127.0.0.1:{free_port()}/pen"
    done = run_pen(tmp_path, "gunicorn", "-c", "python:pen.gunicorn_conf", "--workers", "2",
                   "--bind", f"127.0.0.1:{free_port()}", "--no-control-socket",
                   DATABASE_URL=url)
    assert done.returncode == 1
    (line,) = gunicorn_messages(done)
    assert line.startswith("PEN_DATABASE_URL: could not connect to "), done.stderr
    assert "Booting worker" not in done.stderr


def test_a_gunicorn_worker_prints_the_line_and_gunicorn_stops(tmp_path):
    done = run_pen(tmp_path, "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{free_port()}",
                   "--no-control-socket", "pen:create_app()",
                   RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}")
    assert done.returncode == 4  # gunicorn's "App failed to load": no worker restarts
    (line,) = gunicorn_messages(done)
    assert line.startswith("PEN_RATELIMIT_STORAGE_URI: redis://127.0.0.1:"), done.stderr


def test_passwords_are_hidden_in_what_is_printed():
    assert startup._without_password("redis://user:pw@host:6379/0") == "redis://user:***@host:6379/0"
    assert startup._without_password("redis://host:6379") == "redis://host:6379"

"""The package as an operator installs it: the wheel built once per run, a fresh venv.

``built_wheel`` is what ``python -m build`` makes from this checkout (a source archive
first, then the wheel from it, as a release is built); ``installed_venv`` is a new venv
outside the checkout with that wheel installed from the package index's dependencies.
Both are session-scoped so every test of tests/deploy (the two-server test too) shares
them. ``site_from_wheel`` starts that installed package's gunicorn on a new SQLite data
folder, with the working folder outside the checkout so ``pen`` is the installed one.

The tests are marked ``deploy`` and run in every ``make test`` (about a minute: the
build and the install take most of it); ``PEN_SKIP_DEPLOY=1`` leaves them out.
"""

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.conftest import Stack

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    """Skip the ``deploy`` tests when asked to."""
    if os.environ.get("PEN_SKIP_DEPLOY") != "1":
        return
    for item in items:
        if item.get_closest_marker("deploy"):
            item.add_marker(pytest.mark.skip(reason="PEN_SKIP_DEPLOY=1"))


def run(*command: object, cwd: Path | None = None) -> str:
    """Run a command; fail the test with its output if it fails."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise AssertionError(f"{' '.join(map(str, command))}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """The path of the wheel ``python -m build`` makes from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    (wheel,) = out.glob("pen-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed_venv(built_wheel, tmp_path_factory) -> Path:
    """A new venv outside the checkout with the wheel (and its dependencies) installed."""
    venv = tmp_path_factory.mktemp("venv")
    assert ROOT not in venv.parents
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
        built_wheel)
    return venv


@pytest.fixture
def site_from_wheel(installed_venv, tmp_path):
    """An instance of the installed package on a new SQLite file, migrated, not started;
    its processes are killed after the test."""
    stack = Stack(tmp_path, f"sqlite:///{tmp_path / 'data' / 'pen.sqlite3'}", workers=2,
                  bin_dir=installed_venv / "bin", cwd=tmp_path)
    # The tests' shared static cache is for the checkout; this site uses its own default.
    stack.env.pop("PEN_STATIC_CACHE_DIR", None)
    stack.flask("db", "upgrade")
    yield stack
    stack.kill()


def fetch(port: int, path: str, headers: dict | None = None,
          ) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET on a new connection: (status, headers, body as sent, still encoded)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        conn.close()

"""Real faults for the monitoring tests: a PostgreSQL the test owns and stops, a small
filesystem the test fills."""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.smtp_server import free_port


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own, in a temporary folder, stopped and started at will."""

    def __init__(self, bindir: Path, folder: Path):
        self.bindir, self.folder, self.port = bindir, folder, free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                       capture_output=True, timeout=120)

    def create(self) -> "ThrowawayPostgres":
        self._as_postgres(str(self.bindir / "initdb"), "-D", str(self.folder / "data"),
                          "-A", "trust", "-U", "postgres", "--no-sync")
        return self.start()

    def start(self) -> "ThrowawayPostgres":
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-w",
                          "-o", options, "-l", str(self.folder / "log"), "start")
        return self

    def stop(self) -> None:
        self._as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-w",
                          "-m", "fast", "stop")


@pytest.fixture
def throwaway_postgres():
    """A running cluster on a free port; skipped, with the reason, where one cannot be made."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or os.geteuid() != 0 or not shutil.which("runuser"):
        pytest.skip("needs PostgreSQL's server binaries and root (to run them as postgres)")
    folder = Path(tempfile.mkdtemp(prefix="pen-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    cluster = ThrowawayPostgres(Path(found[-1]).parent, folder).create()
    yield cluster
    subprocess.run(["runuser", "-u", "postgres", "--", str(cluster.bindir / "pg_ctl"), "-D",
                    str(folder / "data"), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def small_disk():
    """A 4 MB tmpfs the test may fill; skipped, with the reason, where mounting is refused."""
    folder = Path(tempfile.mkdtemp(prefix="pen-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)
    folder.rmdir()


def fill(folder: Path, leave_bytes: int) -> Path:
    """Write a filler file until about ``leave_bytes`` are left free; return it."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with open(filler, "wb") as out:
        out.write(b"\0" * max(0, free - leave_bytes))
    return filler


@pytest.fixture
def own_redis():
    """A redis-server of the test's own on a free port (the test stops it); skipped without one."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.PIPE, text=True)
    for line in process.stdout:  # redis-server says when it listens: no guessing how long
        if "Ready to accept connections" in line:
            break
    else:
        pytest.fail("redis-server exited before accepting connections")
    process.url = f"redis://127.0.0.1:{port}"
    yield process
    process.kill()
    process.wait()

"""Upload storage housekeeping: what a killed upload leaves behind is swept by the worker."""

import os
import time

from pen import files


def _part(app, area: str, name: str, age_seconds: int):
    """A temporary upload file last written ``age_seconds`` ago."""
    path = files.upload_dir(area) / f".{name}.part"
    path.write_bytes(b"half an upload")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_worker_removes_stale_partial_uploads_and_keeps_fresh_ones(app):
    stale = _part(app, "library", "stale", age_seconds=2 * 3600)
    fresh = _part(app, "forums", "fresh", age_seconds=60)
    kept = files.upload_dir("library") / files.store_bytes("library", b"%PDF-1.4", ".pdf")

    result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0
    assert "uploads: 1" in result.output
    assert not stale.exists()
    assert fresh.exists() and kept.exists()


def test_sweeping_an_empty_store_removes_nothing(app):
    assert files.sweep_partials() == 0

"""Helpers of the import pages: upload a file, confirm, run the worker's pass."""

import io
import re

import pytest

from pen.extensions import db
from pen.imports import jobs
from pen.imports.models import ImportJob


def upload(client, kind: str, name: str, data: bytes):
    """POST a file to the kind's upload form; the response (not followed)."""
    return client.post(f"/admin/imports/{kind}", content_type="multipart/form-data",
                       data={f"{kind}-file": (io.BytesIO(data), name)})


def job_id_of(response) -> int:
    """The job an upload redirected to."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/admin/imports/job/(\d+)", response.headers["Location"]).group(1))


@pytest.fixture
def run_worker(app):
    """One pass of the imports worker task, synchronously, as the worker thread would."""

    def run() -> int:
        db.session.remove()  # the worker has its own session
        ran = jobs.run_pending()
        db.session.remove()
        return ran

    return run


def job(job_id: int) -> ImportJob:
    """The job, read afresh."""
    db.session.expire_all()
    return db.session.get(ImportJob, job_id)

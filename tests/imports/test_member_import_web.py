"""Importing the contact list on the web: upload, preview, cohort, worker, progress, report."""

import csv
import io
from pathlib import Path

from sqlalchemy import func, select

from pen import imports
from pen.auth.models import User
from pen.extensions import db
from pen.imports import jobs
from pen.members import importer
from pen.onboarding import service as onboarding
from pen.onboarding.models import CohortMember
from tests.imports.conftest import job, job_id_of, upload

REAL_LIST = Path("/work/shared/data/pen-members-2011.csv")
LIST = ("name,email,country,organisation,favourite_colour\n"
        "Amina Diallo Junior,amina.jr@example.org,Senegal,Ministry of Environment,blue\n"
        "No Email,,France,,red\n"
        "José Nuñez,jose@example.org,Atlantis,,green\n"
        "Dup,AMINA.JR@example.org,Senegal,,\n")


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_upload_preview_confirm_run_report(admin, admin_client, run_worker):
    cohort = onboarding.create_cohort(admin, "West Africa")
    response = upload(admin_client, "members", "list.csv", LIST.encode())
    page = admin_client.get(response.headers["Location"] if response.status_code == 302
                            else "/").get_data(as_text=True)
    job_id = job_id_of(response)
    # The preview: the columns as understood, the first lines, every line's problems.
    assert "Waiting for confirmation" in page
    assert "<code>favourite_colour</code>: <em>not used</em>" in page
    assert "<code>email</code>: Email" in page and "Amina Diallo Junior" in page
    assert "no email address" in page and "unknown country &#39;Atlantis&#39; ignored" in page
    assert "duplicate of line 2" in page
    before = users()
    assert job(job_id).status == "uploaded" and users() == before  # nothing imported yet

    confirmed = admin_client.post(f"/admin/imports/job/{job_id}/confirm",
                                  data={"cohort": cohort.slug})
    assert confirmed.status_code == 302
    waiting = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "Waiting for the worker" in waiting and '<progress id="import-bar"' in waiting
    assert 'http-equiv="refresh"' in waiting  # without JavaScript the page refreshes
    assert admin_client.get(f"/admin/imports/job/{job_id}/progress.json").get_json() == {
        "status": "queued", "done": 0, "total": 4, "percent": 0}

    assert run_worker() == 1
    state = admin_client.get(f"/admin/imports/job/{job_id}/progress.json").get_json()
    assert state == {"status": "done", "done": 4, "total": 4, "percent": 100}
    report = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "Download the report (CSV)" in report and "joins the cohort West Africa" in report
    assert users() == before + 2
    in_cohort = db.session.scalars(select(User.email).join(
        CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)).all()
    assert sorted(in_cohort) == ["amina.jr@example.org", "jose@example.org"]

    downloaded = admin_client.get(f"/admin/imports/job/{job_id}/report.csv")
    assert downloaded.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(downloaded.get_data(as_text=True))))
    assert rows[0] == ["line", "item", "outcome", "detail"]
    assert [r[2] for r in rows[1:]] == ["created", "skipped", "created", "skipped"]
    assert rows[2][3] == "no email address" and rows[4][3] == "duplicate of line 2"


def test_the_web_report_is_the_commands_report(app, admin, admin_client, run_worker, tmp_path):
    """The same file gives the same per-line outcomes on the web as on the command line."""
    path = tmp_path / "list.csv"
    path.write_text(LIST)
    cli = importer.import_members(LIST, dry_run=True)
    job_id = job_id_of(upload(admin_client, "members", "list.csv", LIST.encode()))
    admin_client.post(f"/admin/imports/job/{job_id}/confirm", data={"cohort": ""})
    run_worker()
    web = job(job_id).report
    assert [(r["line"], r["outcome"], r["detail"]) for r in web] == [
        (r.line, r.outcome, "; ".join(r.notes)) for r in cli.lines]


def test_the_real_contact_list_imports_on_the_web(admin_client, run_worker):
    job_id = job_id_of(upload(admin_client, "members", "pen-members-2011.csv",
                              REAL_LIST.read_bytes()))
    assert "Problems, line by line" in admin_client.get(
        f"/admin/imports/job/{job_id}").get_data(as_text=True)
    admin_client.post(f"/admin/imports/job/{job_id}/confirm", data={"cohort": ""})
    run_worker()
    done = job(job_id)
    assert done.status == "done" and sum(done.totals.values()) == done.total
    assert done.totals["created"] > 400 and done.totals["skipped"] > 0


def test_utf16_file_is_read(admin_client):
    response = upload(admin_client, "members", "list.csv", LIST.encode("utf-16"))
    page = admin_client.get(f"/admin/imports/job/{job_id_of(response)}")
    assert "José Nuñez" in page.get_data(as_text=True)


def test_latin1_file_is_refused_naming_its_lines_and_nothing_is_kept(app, admin_client):
    response = upload(admin_client, "members", "list.csv", LIST.encode("latin-1"))
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "not in UTF-8" in text
    assert "Line(s) not in UTF-8: 4." in text
    assert not list((Path(app.config["UPLOADS_DIR"]) / "imports").glob("*"))


def test_binary_file_called_csv_is_refused(admin_client):
    response = upload(admin_client, "members", "list.csv",
                      b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    assert response.status_code == 400
    assert "This is not a text file" in response.get_data(as_text=True)


def test_a_file_of_100000_lines_is_refused_above_the_limit(admin_client):
    big = "name,email\n" + "".join(f"M {i},m{i}@example.org\n" for i in range(100_000))
    response = upload(admin_client, "members", "big.csv", big.encode())
    assert response.status_code == 400
    assert "The file has 100,001 lines; an import takes at most 10,000" in \
        response.get_data(as_text=True)


def test_a_file_without_the_needed_columns_is_refused(admin_client):
    response = upload(admin_client, "members", "list.csv", b"full name,mail\nA,a@example.org\n")
    assert response.status_code == 400 and "missing column(s): email, name" in \
        response.get_data(as_text=True)


def test_an_import_that_fails_as_a_whole_changes_nothing(app, admin_client, run_worker):
    """A failure on the third line (here: an area's line hook breaking) rolls back the two
    lines before it; the job says so and nothing was created."""
    def breaking_hook(records, **_options):
        def on_line(user, row, notes):
            if row["email"] == "jose@example.org":
                raise RuntimeError("the disk is full")
            return False
        return on_line

    before = users()
    job_id = job_id_of(upload(admin_client, "members", "list.csv", LIST.encode()))
    admin_client.post(f"/admin/imports/job/{job_id}/confirm", data={"cohort": ""})
    importer.import_started.connect(breaking_hook)
    try:
        run_worker()
    finally:
        importer.import_started.disconnect(breaking_hook)
    assert users() == before
    failed = job(job_id)
    assert failed.status == "failed" and "nothing was changed" in failed.error
    page = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "list.csv" in admin_client.get("/admin/failures").get_data(as_text=True)
    assert not Path(jobs.path_of(failed)).exists()


def test_a_dropped_upload_leaves_nothing(app, admin_client):
    job_id = job_id_of(upload(admin_client, "members", "list.csv", LIST.encode()))
    path = jobs.path_of(job(job_id))
    assert admin_client.post(f"/admin/imports/job/{job_id}/discard",
                             data={"confirmed": "1"}).status_code == 302
    assert job(job_id) is None and not path.exists()
    assert admin_client.get(f"/admin/imports/job/{job_id}").status_code == 404


def test_a_cohort_not_in_the_list_is_refused(admin_client, run_worker):
    job_id = job_id_of(upload(admin_client, "members", "list.csv", LIST.encode()))
    admin_client.post(f"/admin/imports/job/{job_id}/confirm", data={"cohort": "nowhere"})
    assert job(job_id).status == "uploaded"
    assert run_worker() == 0


def test_the_command_takes_a_cohort_too(app, admin, tmp_path):
    onboarding.create_cohort(admin, "Pilot countries")
    path = tmp_path / "list.csv"
    path.write_text(LIST)
    result = app.test_cli_runner().invoke(
        args=["members", "import", str(path), "--cohort", "Pilot countries"])
    assert result.exit_code == 0, result.output
    assert "joins the cohort Pilot countries" in result.output
    missing = app.test_cli_runner().invoke(args=["members", "import", str(path), "--cohort", "x"])
    assert missing.exit_code == 1 and "There is no cohort named" in missing.output


def test_progress_reports_the_lines_done_while_an_import_runs(app, admin, admin_client,
                                                             run_worker):
    """A kind registered for the test reads its own progress through the JSON endpoint
    half-way, as the page's script does."""
    seen = []

    def run(path, options, actor_id, progress):
        lines = []
        for number in range(1, 5):
            progress(1)
            if number == 2:
                seen.append(admin_client.get(f"/admin/imports/job/{job_id}/progress.json")
                            .get_json())
            lines.append(imports.Line(number + 1, f"item {number}", "imported"))
        return lines

    imports.register_kind(app, imports.Kind(
        name="probe", label="Probe", suffix=".csv", check=lambda path: 4,
        preview=lambda path: imports.Preview(), run=run, permitted=lambda user: True,
        outcomes=("imported",)))
    job_id = job_id_of(upload(admin_client, "probe", "probe.csv", b"a\n1\n2\n3\n4\n"))
    admin_client.post(f"/admin/imports/job/{job_id}/confirm")
    run_worker()
    assert seen == [{"status": "running", "done": 2, "total": 4, "percent": 50}]
    assert job(job_id).totals == {"imported": 4}


def test_what_a_file_says_is_printed_as_text(admin_client, run_worker):
    hostile = ('name,email,<img src=x onerror=alert(1)>\n'
               '<script>alert(1)</script>,x@example.org,1\n'
               '"=HYPERLINK(""http://evil"")",<b>bad</b>@example.org,2\n')
    job_id = job_id_of(upload(admin_client, "members", "<i>list</i>.csv", hostile.encode()))
    preview = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in preview and "<img src=x" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    admin_client.post(f"/admin/imports/job/{job_id}/confirm")
    run_worker()
    report = admin_client.get(f"/admin/imports/job/{job_id}").get_data(as_text=True)
    assert "<b>bad</b>" not in report and "<i>list</i>" not in report
    rows = list(csv.reader(io.StringIO(admin_client.get(
        f"/admin/imports/job/{job_id}/report.csv").get_data(as_text=True))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_dropping_an_upload_asks_first(app, admin_client):
    job_id = job_id_of(upload(admin_client, "members", "list.csv", LIST.encode()))
    page = admin_client.get(f"/admin/imports/job/{job_id}/discard").get_data(as_text=True)
    assert "Drop the file list.csv?" in page
    assert admin_client.post(f"/admin/imports/job/{job_id}/discard").status_code == 200
    assert job(job_id) is not None and jobs.path_of(job(job_id)).exists()

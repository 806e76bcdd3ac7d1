"""Cohorts: the test group from the import's ``test_group`` column, others made by admins."""

from sqlalchemy import select

from pen.auth import service as accounts
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.members import service as members
from pen.onboarding import cohorts, service
from pen.onboarding.models import Cohort, CohortMember

HEADER = "name,email,country,organisation,test_group\n"
ROWS = {
    "ana@etesa.example": "yes",
    "moussa@env.bf.example": "Y",
    "zhang@brcc.example": "TRUE",
    "fatima@env.jo.example": "1",
    "ingrid@nilu.example": "",
    "kofi@ecg.example": "no",
    "awa@pan.example": "maybe",
}


def contact_list(tmp_path, rows=None):
    text = HEADER + "".join(f"Member {n},{email},Kenya,Org {n},{flag}\n"
                            for n, (email, flag) in enumerate((rows or ROWS).items()))
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run_import(app, path, *args):
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def emails_in_test_group() -> set[str]:
    db.session.expire_all()
    group = cohorts.test_group()
    ids = set(cohorts.member_ids(group)) if group else set()
    return {user.email for user in map(accounts.find_by_email, ROWS) if user and user.id in ids}


def test_import_puts_yes_values_of_any_case_in_the_test_group(app, tmp_path):
    output = run_import(app, contact_list(tmp_path))
    assert emails_in_test_group() == {"ana@etesa.example", "moussa@env.bf.example",
                                   "zhang@brcc.example", "fatima@env.jo.example"}
    ana = next(line for line in output.splitlines() if "ana@etesa.example" in line)
    assert ana.startswith("line 2: created") and "joins the test group" in ana
    awa = next(line for line in output.splitlines() if "awa@pan.example" in line)
    assert "unknown test_group value 'maybe' ignored" in awa
    assert output.splitlines()[-1] == "7 created, 0 updated, 0 unchanged, 0 skipped"


def test_reimport_changes_nothing_and_no_takes_a_member_out(app, tmp_path):
    run_import(app, contact_list(tmp_path))
    again = run_import(app, contact_list(tmp_path))
    assert again.splitlines()[-1] == "0 created, 0 updated, 7 unchanged, 0 skipped"
    rows = dict(ROWS, **{"ana@etesa.example": "no", "ingrid@nilu.example": "yes",
                         "moussa@env.bf.example": ""})
    changed = run_import(app, contact_list(tmp_path, rows))
    assert changed.splitlines()[-1] == "0 created, 2 updated, 5 unchanged, 0 skipped"
    assert "leaves the test group" in changed and "joins the test group" in changed
    assert emails_in_test_group() == {"moussa@env.bf.example", "zhang@brcc.example",
                                   "fatima@env.jo.example", "ingrid@nilu.example"}


def test_dry_run_import_puts_nobody_in_the_test_group(app, tmp_path):
    output = run_import(app, contact_list(tmp_path), "--dry-run")
    assert "joins the test group" in output
    assert cohorts.test_group() is None
    assert db.session.scalar(select(CohortMember).limit(1)) is None


def test_a_file_without_the_column_leaves_cohorts_alone(app, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("name,email\nAna,ana@etesa.example\n", encoding="utf-8")
    assert "joins" not in run_import(app, path)
    assert cohorts.test_group() is None


def test_admin_creates_a_cohort_and_fills_it_by_email_and_region(admin_client, make_user):
    lan = make_user(email="lan@example.org")
    kofi = make_user(email="kofi@example.org")
    members.profile_of(kofi).country, members.profile_of(kofi).region = "GH", "Africa"
    db.session.commit()
    response = admin_client.post("/admin/rollout/cohorts",
                                 data={"name": "Afrique de l'Ouest", "description": "West"})
    cohort = cohorts.find_cohort("afrique-de-l-ouest")
    assert response.status_code == 302 and cohort.name == "Afrique de l'Ouest"
    response = admin_client.post(f"/admin/rollout/cohorts/{cohort.id}/add",
                                 data={"emails": "LAN@example.org\nnobody@example.org"})
    assert response.status_code == 302
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 added, 0 already in the cohort." in page and "nobody@example.org" in page
    admin_client.post(f"/admin/rollout/cohorts/{cohort.id}/add-region", data={"region": "Africa"})
    assert set(cohorts.member_ids(cohort)) == {lan.id, kofi.id}
    admin_client.post(f"/admin/rollout/cohorts/{cohort.id}/remove/{lan.id}",
                      data={"confirmed": "1"})
    assert cohorts.member_ids(cohort) == [kofi.id]
    page = admin_client.get(f"/admin/rollout/cohorts/{cohort.id}").get_data(as_text=True)
    assert "kofi@example.org" in page and "not invited" in page


def test_cohort_names_are_unique_and_all_is_reserved(app):
    service.create_cohort(SYSTEM, "Asia-Pacific")
    for name in ("asia-pacific", "ASIA-PACIFIC", "all", "  ", "!!!"):
        try:
            service.create_cohort(SYSTEM, name)
        except service.ValidationError as exc:
            assert exc.field == "name"
        else:
            raise AssertionError(f"{name!r} was accepted")


def test_the_test_group_cannot_be_deleted_but_others_can(admin_client):
    group = service.ensure_test_group()
    db.session.commit()
    other = service.create_cohort(SYSTEM, "Latin America")
    admin_client.post(f"/admin/rollout/cohorts/{group.id}/delete", data={"confirmed": "1"})
    admin_client.post(f"/admin/rollout/cohorts/{other.id}/delete", data={"confirmed": "1"})
    db.session.expire_all()
    assert [c.slug for c in db.session.scalars(select(Cohort))] == ["test-group"]


def test_cohort_pages_are_for_admins(member_client):
    assert member_client.get("/admin/rollout/cohorts").status_code == 403
    assert member_client.post("/admin/rollout/cohorts", data={"name": "x"}).status_code == 403

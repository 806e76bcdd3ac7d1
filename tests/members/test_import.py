"""Importing the contact list: every line reported, good lines imported, twice is a no-op."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from pen.auth import service as accounts
from pen.auth.models import User, UserStatus
from pen.extensions import db
from pen.members import designations, service
from pen.members.importer import import_members

DATA = Path(__file__).parent / "data"
SHARED_LIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "pen-members-2011.csv"


def run_import(app, path, *args):
    """Run the CLI command and return its output."""
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), *args])
    return result


def outcome_of(result, line):
    """The report line for one line number."""
    return next(text for text in result.output.splitlines() if text.startswith(f"line {line}:"))


def test_import_reports_every_line(app, vocabulary):
    result = run_import(app, DATA / "contacts.csv")
    assert result.exit_code == 0, result.output
    assert outcome_of(result, 2).startswith("line 2: created ana.gonzalez@etesa.example")
    assert outcome_of(result, 3).startswith("line 3: created moussa.ouedraogo@")
    duplicate = "line 4: skipped ana.gonzalez@etesa.example — duplicate of line 2"
    assert outcome_of(result, 4) == duplicate
    assert "line 5: skipped two@@example.org — invalid email address" in outcome_of(result, 5)
    assert outcome_of(result, 6) == "line 6: skipped (no email) — no email address"
    assert outcome_of(result, 7).startswith("line 7: created zhang.wei@")
    # the quoted organisation spans two lines, so the next record starts on line 9
    fatima = outcome_of(result, 9)
    assert "created fatima.alsayed@" in fatima and "no country" in fatima
    assert "unknown expertise 'Underwater basket weaving' ignored" in fatima
    assert "unknown language 'Klingon' ignored" in fatima
    assert result.output.splitlines()[-1] == "4 created, 0 updated, 0 unchanged, 3 skipped"


def test_imported_members_are_invited_with_their_profile(app, vocabulary):
    run_import(app, DATA / "contacts.csv")
    ana = accounts.find_by_email("ana.gonzalez@etesa.example")
    assert ana.status == UserStatus.INVITED and ana.password_hash is None
    profile = service.profile_of(ana)
    assert (profile.country, profile.region) == ("PA", "Latin America and the Caribbean")
    assert profile.organisation_type == "utility" and profile.convention_role is None
    asked = designations.requests_of(ana.id)  # a list is no designation: the Secretariat verifies
    assert [(r.kind, r.country, r.status) for r in asked] == [("nfp", "PA", "pending")]
    assert [t.name for t in profile.expertise] == ["PCB inventories",
                                                   "Transformers and capacitors"]
    assert profile.languages == ["en", "es"]
    zhang = service.profile_of(accounts.find_by_email("zhang.wei@basel-asia.example"))
    assert zhang.user.display_name == "Zhang Wei 张伟"
    assert zhang.organisation == "Basel Convention Regional Centre for Asia and the Pacific"
    fatima = service.profile_of(accounts.find_by_email("fatima.alsayed@env.jo.example"))
    assert fatima.country is None and fatima.region == "Arab States"


def test_second_run_changes_nothing(app, vocabulary):
    run_import(app, DATA / "contacts.csv")
    second = run_import(app, DATA / "contacts.csv")
    assert second.output.splitlines()[-1] == "0 created, 0 updated, 4 unchanged, 3 skipped"


def test_changed_line_updates_without_touching_password_or_status(app, vocabulary, make_user):
    existing = make_user(email="ana.gonzalez@etesa.example", name="Ana G.")
    password_hash = existing.password_hash
    result = run_import(app, DATA / "contacts.csv")
    assert outcome_of(result, 2).startswith("line 2: updated ana.gonzalez@etesa.example")
    db.session.expire_all()
    assert existing.display_name == "Ana González"
    assert existing.password_hash == password_hash and existing.status == UserStatus.ACTIVE


def test_dry_run_saves_nothing(app, vocabulary):
    before = db.session.scalar(select(func.count()).select_from(User))
    result = run_import(app, DATA / "contacts.csv", "--dry-run")
    assert "Dry run, nothing saved: 4 created" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_semicolon_separated_file_with_quoted_separators(app, vocabulary):
    result = run_import(app, DATA / "semicolons.csv")
    assert "1 created" in result.output, result.output
    profile = service.profile_of(accounts.find_by_email("jurgen.andersson@belgium.example"))
    assert profile.organisation == "Belgium Toxics Action Network; Brussels"
    assert profile.languages == ["de", "en"]


def test_file_that_is_not_utf8_is_refused_clearly(app, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,email\nJosé,jose@example.org\n".encode("latin-1"))
    result = run_import(app, path)
    assert result.exit_code == 1 and "is not in UTF-8" in result.output
    assert "Line(s) not in UTF-8: 2." in result.output


def test_file_without_the_needed_columns_is_refused(app, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("full name,mail\nA,a@example.org\n")
    result = run_import(app, path)
    assert result.exit_code == 1 and "missing column(s): email, name" in result.output


def test_imported_members_reach_the_search_log(app, vocabulary):
    from pen.search import SearchLog

    import_members((DATA / "contacts.csv").read_text(encoding="utf-8-sig"))
    queued = set(db.session.scalars(select(SearchLog.object_id)))
    ids = set(db.session.scalars(select(User.id)))
    assert ids <= queued


@pytest.mark.skipif(not SHARED_LIST.exists(), reason="the network's contact list is not here")
def test_the_real_contact_list_imports_and_reimports_unchanged(app, vocabulary):
    first = import_members(SHARED_LIST.read_text(encoding="utf-8-sig"))
    assert first.totals["created"] > 450
    skipped = [line for line in first.lines if line.outcome == "skipped"]
    assert skipped and all(line.notes for line in skipped)
    second = import_members(SHARED_LIST.read_text(encoding="utf-8-sig"))
    assert second.totals["created"] == second.totals["updated"] == 0

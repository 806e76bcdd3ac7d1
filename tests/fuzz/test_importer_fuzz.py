"""The contact-list importer under arbitrary files: a clear answer, never a crash.

Any text either imports (every record gets exactly one outcome, with its line
number; every refused line says why) or is refused as a whole with
``ImportFileError``. A dry run writes nothing. Through the command line, any bytes at
all end in a message and an exit status, never a traceback.
"""

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pen.auth.models import User
from pen.extensions import db
from pen.members.importer import ImportFileError, import_members, read_records
from pen.members.models import Profile

HEADERS = ["name", "email", "country", "organisation", "role", "languages", "expertise",
           "region", "organisation_type", "test_group", "Name", " EMAIL ", "", "\ufeffname"]
CELLS = st.one_of(
    st.sampled_from(["Ana González", "ana@example.org", "ANA@Example.org ", "Panama", "PA",
                     "nowhere", "OCP", "en; fr", "es|zh", "PCB inventories", "yes", "", " ",
                     "not-an-email", "a@b", "x" * 300, "\"", "\"\"", "a,b", "a;b", "\n", "\r\n",
                     "=HYPERLINK(\"https://evil\")", "\x00", "@example.org", "ana@exa mple.org"]),
    st.text(max_size=30))
DELIMITERS = st.sampled_from([",", ";", "\t", "|"])


@st.composite
def csv_texts(draw) -> str:
    """A contact list with a random header, rows, delimiter, quoting and line ends."""
    sep, end = draw(DELIMITERS), draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=7), max_size=8))
    quote = draw(st.booleans())

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote else value

    lines = [sep.join(map(cell, header))] + [sep.join(map(cell, row)) for row in rows]
    prefix = draw(st.sampled_from(["", "\ufeff"]))
    return prefix + end.join(lines) + draw(st.sampled_from(["", end]))


TEXTS = st.one_of(csv_texts(), st.text(max_size=300),
                  st.just("name,email\n\"" + "x" * 200_000 + "\",big@example.org\n"),
                  st.just("name,email\nBig," + "y" * 200_000 + "@example.org\n"))


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Profile)))


@given(TEXTS)
def test_a_dry_run_answers_every_line_and_writes_nothing(app, text):
    before = counts()
    try:
        records = read_records(text)
        report = import_members(text, dry_run=True)
    except ImportFileError as exc:
        assert str(exc)  # the reason is said
        return
    finally:
        db.session.rollback()
        assert counts() == before
    assert [r.line for r in report.lines] == [line for line, _ in records]
    assert all(r.notes for r in report.lines if r.outcome == "skipped")
    assert report.summary().startswith("Dry run, nothing saved")


@given(csv_texts())
def test_a_real_import_never_raises_and_imports_the_good_lines(app, text):
    try:
        report = import_members(text)
    except ImportFileError:
        return
    created = [r.email for r in report.lines if r.outcome == "created"]
    found = set(db.session.scalars(select(User.email).where(User.email.in_(created))))
    assert found == set(created)


@given(st.binary(max_size=400) | TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | TEXTS.map(lambda t: t.encode("utf-16", "surrogatepass")))
def test_the_command_line_answers_any_bytes(app, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "contacts.csv"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["members", "import", str(path), "--dry-run"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception)
    assert result.output.strip()

"""Bulk import from a folder and a CSV file; the group shelf and work-plan links."""

from pen.extensions import db
from pen.groups import registry
from pen.library import samples
from pen.library.models import Document, Version
from pen.library.shelf import group_section
from tests.conftest import login


def write_folder(tmp_path):
    """A folder with three files and the metadata describing them (and a bad line)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "pen-magazine-1-en.pdf").write_bytes(samples.make_pdf(["PCB inventories"]))
    (folder / "pen-magazine-1-fr.docx").write_bytes(samples.make_docx(["Inventaires de PCB"]))
    (folder / "fake.pdf").write_bytes(b"<html>fake</html>")
    metadata = tmp_path / "metadata.csv"
    metadata.write_text(
        "file;title;type;language;year;topics;country;edition_of\n"
        "pen-magazine-1-en.pdf;PEN magazine no. 1;Magazine issue;English;2010;"
        "PCB inventories;Viet Nam;\n"
        "pen-magazine-1-fr.docx;Magazine du PEN no 1;magazine;fr;2010;;;pen-magazine-1-en.pdf\n"
        "fake.pdf;Fake;guideline;en;;;;\n"
        "../secret.pdf;Escape;guideline;en;;;;\n", encoding="utf-8")
    return folder, metadata


def test_import_reports_every_line_and_is_safe_to_repeat(app, tmp_path, topics):
    folder, metadata = write_folder(tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["library", "import", str(folder), "--metadata", str(metadata),
                                 "--no-extract"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("line 2: pen-magazine-1-en.pdf: imported")
    assert lines[1].startswith("line 3: pen-magazine-1-fr.docx: imported")
    assert "line 4: fake.pdf: refused: fake.pdf is not really a PDF file" in lines[2]
    assert "line 5: ../secret.pdf: refused" in lines[3] and "folders" in lines[3]
    assert "2 imported, 0 skipped, 2 refused" in result.output
    english = db.session.query(Document).filter_by(language="en").one()
    assert [d.language for d in english.siblings()] == ["fr"]
    assert english.work.country == "VN" and [t.name for t in english.work.topics] == [
        "PCB inventories"]
    again = runner.invoke(args=["library", "import", str(folder), "--metadata", str(metadata),
                                "--no-extract"])
    assert "0 imported, 2 skipped, 2 refused" in again.output
    extracted = runner.invoke(args=["library", "extract"])
    assert "2 extracted; 0 file(s)" in extracted.output
    assert all(v.extraction == "done" for v in db.session.query(Version))


def test_an_unreadable_file_imported_by_nobody_is_reported_and_listed(
        app, tmp_path, admin_client):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.pdf").write_bytes(samples.make_pdf(["PCB inventories"]))
    (folder / "scan.pdf").write_bytes(samples.make_pdf([""]))  # a scan: no text in it
    metadata = tmp_path / "metadata.csv"
    metadata.write_text("file;title;type;language\ngood.pdf;Good;guideline;en\n"
                        "scan.pdf;Scanned report;guideline;en\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["library", "import", str(folder), "--metadata", str(metadata)])
    assert result.exit_code == 0, result.output
    assert "line 3: scan.pdf: text not read: no text found" in result.output
    assert "good.pdf: text not read" not in result.output
    assert "2 imported, 0 skipped, 0 refused; text of 1 file(s) could not be read" in \
        result.output
    page = admin_client.get("/admin/failures").get_data(as_text=True)
    assert "Scanned report" in page and "No text was found in the file" in page
    assert "Good" not in page.split("could not be extracted", 1)[1].split("</section>")[0]


def test_import_refuses_a_metadata_file_without_the_needed_columns(app, tmp_path):
    metadata = tmp_path / "m.csv"
    metadata.write_text("name,title\nx.pdf,X\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["library", "import", str(tmp_path), "--metadata", str(metadata)])
    assert result.exit_code != 0 and "lacks the column(s) file, type, language" in result.output


def test_group_shelf_shows_group_documents_to_members_only(admin, member, coordinator, group,
                                                            share):
    shared = share(admin, "minutes.txt", b"Minutes", access="group", group_id=group.id,
                   title="Minutes of Panama City")
    share(admin, "public.txt", b"Public", title="Open to all")
    assert group_section(group, member) is None
    section = group_section(group, coordinator)
    assert [d.id for d in section.context["documents"]] == [shared.id]
    assert section.template == "library/_shelf.html"


def test_document_links_reveal_titles_only_to_those_who_may_open(admin, member, coordinator,
                                                                 group, share):
    shared = share(admin, "minutes.txt", b"Minutes", access="group", group_id=group.id,
                   title="Minutes of Panama City")
    seen = registry.resolve(coordinator, "document", [shared.id])[shared.id]
    assert seen.visible and seen.title == "Minutes of Panama City" and seen.group_id == group.id
    hidden = registry.resolve(member, "document", [shared.id])[shared.id]
    assert not hidden.visible and "Panama" not in hidden.title and hidden.url == ""


def test_the_group_page_shows_its_shelf_to_members(app, admin, member, coordinator, group, share):
    share(admin, "minutes.txt", b"Minutes", access="group", group_id=group.id,
          title="Minutes of Panama City")
    insider = app.test_client()
    login(insider, coordinator.email)
    page = insider.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Minutes of Panama City" in page and "/library/?group=" in page
    outsider = app.test_client()
    login(outsider, member.email)
    assert "Minutes of Panama City" not in outsider.get(f"/groups/{group.slug}").get_data(
        as_text=True)

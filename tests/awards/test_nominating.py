"""Nominating: drafts, submission and receipt, edits, withdrawal, deadline and grace, uploads."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pen.audit import AuditEntry
from pen.awards import nominating
from pen.awards.models import Nomination
from pen.errors import Forbidden
from pen.extensions import db
from pen.mail import MailMessage
from pen.members.service import profile_of
from tests.awards.conftest import (
    DEADLINE_TEXT,
    DEADLINE_UTC,
    GRACE_END_UTC,
    PDF,
    docx_bytes,
    entry,
    outside_entry,
    pdf_upload,
    question,
    signed_in,
)


def receipts():
    return list(db.session.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_a_draft_is_saved_without_mail_and_only_its_nominator_sees_it(
        app, cycle, nominator, nominee, member):
    draft = nominating.save(nominator, cycle, entry(cycle, nominee.email, statement=""))
    assert draft.status == "draft" and draft.nominee_user_id == nominee.id
    assert receipts() == []
    assert signed_in(app, nominator).get(f"/awards/n/{draft.id}").status_code == 200
    assert signed_in(app, member).get(f"/awards/n/{draft.id}").status_code == 404
    assert signed_in(app, member).get(f"/awards/n/{draft.id}/edit").status_code == 404


def test_submission_sends_a_receipt_with_a_copy_of_the_nomination(cycle, nominator, nominee):
    nomination = nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)
    assert nomination.status == "submitted" and nomination.submitted_at is not None
    [receipt] = receipts()
    assert receipt.to_addr == nominator.email
    assert "We received your nomination for PEN Awards 2011" in receipt.subject
    for text in ("Nguyen Thi Lan", "PCB inventories", "Led the national PCB inventory.",
                 "Main achievements", "12,000 t identified", DEADLINE_TEXT):
        assert text in receipt.body_text
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "award.nomination.submit" in actions


def test_submitting_an_incomplete_nomination_names_every_missing_field(cycle, nominator):
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, entry(cycle, "", statement="", answers={}),
                        submit=True)
    errors = refused.value.errors
    assert set(errors) == {"nominee_member", "statement",
                           f"q{question(cycle, 'Main achievements').id}"}
    assert db.session.scalar(select(Nomination)) is None


def test_a_form_that_fails_keeps_what_was_typed(app, cycle, nominator, clock):
    client = signed_in(app, nominator)
    response = client.post(f"/awards/{cycle.id}/nominate", data={
        "category": cycle.categories[0].id, "nominee_kind": "member",
        "nominee_member": "nobody@nowhere.example", "statement": "Kept text", "submit": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No single member matches" in page and "Kept text" in page
    assert "nobody@nowhere.example" in page


def test_self_nomination_only_where_the_category_allows_it(cycle, nominator):
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, entry(cycle, nominee_kind="self"), submit=True)
    assert "does not accept self-nominations" in refused.value.errors["nominee_kind"]
    own = nominating.save(nominator, cycle, entry(
        cycle, nominee_kind="self", category_id=cycle.categories[1].id), submit=True)
    assert own.nominee_user_id == nominator.id and own.nominee_name == "Carlos Mendoza"


def test_people_and_organisations_outside_the_network(cycle, nominator):
    person = nominating.save(nominator, cycle, outside_entry(cycle), submit=True)
    assert (person.nominee_name, person.nominee_country) == ("Ana González", "PA")
    org = nominating.save(nominator, cycle, entry(
        cycle, nominee_kind="organisation", nominee_name="Basel Convention Regional Centre"),
        submit=True)
    assert org.nominee_organisation == "Basel Convention Regional Centre"


def test_the_nominator_edits_until_the_deadline_and_gets_an_updated_copy(
        cycle, nominator, nominee, clock):
    nomination = nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)
    clock.set(DEADLINE_UTC + timedelta(minutes=10))  # in the grace period, which nobody sees
    nominating.save(nominator, cycle, entry(cycle, nominee.email, statement="Better reasons."),
                    nomination)
    assert nomination.statement == "Better reasons." and nomination.status == "submitted"
    assert "has been updated" in receipts()[-1].subject


def test_one_second_after_the_grace_period_the_nomination_is_refused_with_the_deadline(
        app, cycle, nominator, nominee, clock):
    clock.set(GRACE_END_UTC - timedelta(seconds=1))
    nominating.save(nominator, cycle, outside_entry(cycle), submit=True)
    clock.set(GRACE_END_UTC + timedelta(seconds=1))
    with pytest.raises(Forbidden) as refused:
        nominating.save(nominator, cycle, entry(cycle, nominee.email), submit=True)
    assert DEADLINE_TEXT in refused.value.description
    response = signed_in(app, nominator).post(f"/awards/{cycle.id}/nominate", data={
        "category": cycle.categories[0].id, "nominee_kind": "member",
        "nominee_member": nominee.email, "statement": "Late", "submit": "1"})
    assert response.status_code == 403
    assert DEADLINE_TEXT in response.get_data(as_text=True)


def test_after_the_deadline_the_form_closes_and_says_so(app, cycle, nominator, clock):
    clock.after_deadline()
    page = signed_in(app, nominator).get(f"/awards/{cycle.id}/nominate").get_data(as_text=True)
    assert "closed on 1 Mar 2011, 23:59 (Europe/Zurich)" in page
    assert 'name="statement"' not in page


def test_a_nominator_editing_after_the_deadline_gets_403(app, cycle, submitted, clock):
    clock.after_deadline()
    client = signed_in(app, submitted.nominator)
    assert client.get(f"/awards/n/{submitted.id}/edit").status_code == 403
    response = client.post(f"/awards/n/{submitted.id}/edit", data={
        "category": cycle.categories[0].id, "statement": "Too late", "submit": "1"})
    assert response.status_code == 403
    assert DEADLINE_TEXT in response.get_data(as_text=True)
    db.session.refresh(submitted)
    assert submitted.statement != "Too late"


def test_the_page_shows_the_deadline_in_the_cycles_zone_and_in_utc(app, cycle, nominator):
    page = signed_in(app, nominator).get(f"/awards/{cycle.id}/nominate").get_data(as_text=True)
    assert DEADLINE_TEXT in page and "1 Mar 2011, 22:59 (UTC)" in page
    assert "23:29" not in page  # the grace period is shown to nobody


def test_a_member_with_a_time_zone_sees_the_deadline_on_their_own_clock(app, cycle, nominator):
    profile_of(nominator).timezone = "America/Panama"
    db.session.commit()
    page = signed_in(app, nominator).get(f"/awards/{cycle.id}/nominate").get_data(as_text=True)
    assert DEADLINE_TEXT in page
    assert "1 Mar 2011, 17:59 (America/Panama)" in page
    assert "Choose your time zone" not in page


def test_withdrawal_by_the_nominator_only(app, submitted, member):
    with pytest.raises(Forbidden):
        nominating.withdraw(member, submitted)
    response = signed_in(app, submitted.nominator).post(
        f"/awards/n/{submitted.id}/withdraw", data={"confirmed": "1"})
    assert response.status_code == 302
    db.session.refresh(submitted)
    assert submitted.status == "withdrawn"
    page = signed_in(app, submitted.nominator).get(f"/awards/n/{submitted.id}")
    assert "You withdrew this nomination." in page.get_data(as_text=True)


def test_a_draft_can_be_discarded_with_its_document(cycle, nominator):
    doc_q = question(cycle, "Supporting document").id
    draft = nominating.save(nominator, cycle, outside_entry(cycle, uploads={
        doc_q: pdf_upload()}))
    from pen import files
    path = files.path_of("awards", draft.documents[0].stored_name)
    assert path.exists()
    nominating.discard(nominator, draft)
    assert not path.exists() and db.session.scalar(select(Nomination)) is None


def test_documents_pdf_and_docx_are_stored_and_served_to_the_nominator(
        app, cycle, nominator):
    doc_q = question(cycle, "Supporting document").id
    nomination = nominating.save(nominator, cycle, outside_entry(
        cycle, uploads={doc_q: pdf_upload()}), submit=True)
    [doc] = nomination.documents
    response = signed_in(app, nominator).get(
        f"/awards/n/{nomination.id}/documents/{doc.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    nominating.save(nominator, cycle, outside_entry(cycle, uploads={
        doc_q: pdf_upload("cv.docx", docx_bytes())}), nomination)
    assert [d.filename for d in nomination.documents] == ["cv.docx"]
    assert "Supporting document: cv.docx" in receipts()[-1].body_text


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("report.pdf", b"<html><script>alert(1)</script></html>", "is not really a PDF file"),
    ("tool.exe", b"MZ\x90\x00", "not a type of file accepted here"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "not a type of file accepted here"),
    ("empty.pdf", b"", "is empty"),
    ("broken.docx", b"PK\x03\x04 not a zip at all", "is not really a DOCX file"),
])
def test_bad_documents_are_refused_with_the_reason(cycle, nominator, name, data, reason):
    doc_q = question(cycle, "Supporting document").id
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, outside_entry(cycle, uploads={
            doc_q: pdf_upload(name, data)}))
    assert reason in refused.value.errors[f"q{doc_q}"]
    assert db.session.scalar(select(Nomination)) is None


def test_documents_over_the_configured_size_are_refused(app, cycle, nominator):
    app.config["AWARDS_MAX_UPLOAD_MB"] = 1
    doc_q = question(cycle, "Supporting document").id
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, outside_entry(cycle, uploads={
            doc_q: pdf_upload(data=PDF + b" " * 2**20)}))
    assert "dossier.pdf is larger than 1 MB" in refused.value.errors[f"q{doc_q}"]


def test_a_docx_that_would_expand_like_a_zip_bomb_is_refused(cycle, nominator):
    doc_q = question(cycle, "Supporting document").id
    bomb = docx_bytes({"word/media/padding.xml": b"0" * (3 * 2**20)})
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, outside_entry(cycle, uploads={
            doc_q: pdf_upload("bomb.docx", bomb)}))
    assert "zip bomb" in refused.value.errors[f"q{doc_q}"]


def test_a_choice_outside_the_options_is_refused(cycle, nominator):
    scale = question(cycle, "Scale of the work").id
    with pytest.raises(nominating.NominationInvalid) as refused:
        nominating.save(nominator, cycle, outside_entry(cycle, answers={scale: "Galactic"}))
    assert refused.value.errors == {f"q{scale}": "Choose one of the options."}


def test_nominating_through_the_pages_with_an_attachment(app, cycle, nominator, nominee):
    import io
    client = signed_in(app, nominator)
    doc_q = question(cycle, "Supporting document").id
    response = client.post(f"/awards/{cycle.id}/nominate", data={
        "category": cycle.categories[0].id, "nominee_kind": "member",
        "nominee_member": "nguyen thi lan", "statement": "Her inventory work.",
        f"q{question(cycle, 'Main achievements').id}": "Inventory",
        f"q{question(cycle, 'Scale of the work').id}": "National",
        f"q{doc_q}": (io.BytesIO(PDF), "inventory.pdf"), "save_draft": "1"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    assert nomination.status == "draft" and nomination.documents[0].filename == "inventory.pdf"
    edit = client.get(f"/awards/n/{nomination.id}/edit").get_data(as_text=True)
    assert "Her inventory work." in edit and "Now attached: inventory.pdf" in edit
    cycle_page = client.get(f"/awards/{cycle.id}").get_data(as_text=True)
    assert "Nguyen Thi Lan" in cycle_page and "Draft" in cycle_page


def test_a_link_from_the_directory_fills_in_the_member(app, cycle, nominator, nominee):
    page = signed_in(app, nominator).get(f"/awards/{cycle.id}/nominate?member={nominee.id}")
    assert f'value="{nominee.email}"' in page.get_data(as_text=True)

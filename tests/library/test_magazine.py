"""The PEN magazine: readers told of a new issue in their languages, printed copies at a
postal address only administrators see, the mailing list of an issue."""

import csv
import io

from sqlalchemy import select

from pen.audit import AuditEntry
from pen.extensions import db
from pen.library import magazine, mydata, samples, service
from pen.members.service import profile_of
from pen.notifications.models import Notification

ISSUE = service.Metadata(title="PEN magazine no. 3", doc_type="magazine", language="en",
                         year=2011)


def speaks(user, *codes):
    profile_of(user).languages = list(codes)
    db.session.commit()


def notes_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def publish(actor, meta=ISSUE, name="pen-3-en.pdf"):
    return service.upload(actor, meta, name, io.BytesIO(samples.make_pdf([meta.title])))


def test_readers_are_told_of_an_issue_in_their_languages_only(admin, make_user, member):
    french, english = make_user(email="fr@example.org"), make_user(email="en@example.org")
    speaks(french, "fr"), speaks(english, "en", "es"), speaks(member, "en")
    for reader in (french, english):
        magazine.save(reader, magazine.Choices(notify=True))
    issue = publish(admin)
    assert [n.kind for n in notes_of(english)] == [magazine.KIND]
    assert notes_of(english)[0].target_id == issue.id
    assert notes_of(french) == [] and notes_of(member) == []  # not asked
    service.add_edition(admin, issue, "fr", "Magazine du PEN no 3", "", "pen-3-fr.pdf",
                        io.BytesIO(samples.make_pdf(["Magazine du PEN"])))
    assert [n.kind for n in notes_of(french)] == [magazine.KIND]
    assert len(notes_of(english)) == 1


def test_other_documents_and_unseen_issues_tell_nobody(admin, make_user):
    reader = make_user(email="en@example.org")
    speaks(reader, "en")
    magazine.save(reader, magazine.Choices(notify=True))
    publish(admin, service.Metadata(title="Guideline", doc_type="guideline", language="en"))
    publish(admin, service.Metadata(title="Draft issue", doc_type="magazine", language="en",
                                    access="admins"), name="draft.pdf")
    assert notes_of(reader) == []


def test_printed_copies_need_an_address_and_a_language(member, member_client):
    response = member_client.post("/library/magazine", data={
        "wants_print": "y", "print_language": "fr", "postal_address": "  "})
    assert response.status_code == 400
    assert "Give the postal address the printed copies go to." in response.get_data(as_text=True)
    too_long = member_client.post("/library/magazine", data={
        "wants_print": "y", "print_language": "fr", "postal_address": "x" * 501})
    assert too_long.status_code == 400
    assert 'x' * 501 in too_long.get_data(as_text=True)  # what was typed is kept
    no_language = member_client.post("/library/magazine", data={
        "wants_print": "y", "print_language": "", "postal_address": "1 Rue de Genève"})
    assert "Choose the language of your printed copies." in no_language.get_data(as_text=True)
    saved = member_client.post("/library/magazine", data={
        "notify": "y", "wants_print": "y", "print_language": "fr",
        "postal_address": "Ministère de l'Environnement\nBP 123\nDakar"})
    assert saved.status_code == 302
    db.session.expire_all()
    reader = magazine.reader_of(member)
    assert reader.wants_print and reader.notify and reader.print_language == "fr"
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "magazine.choices"))
    assert "Dakar" not in str(audit.detail)  # the address stays out of the audit log
    page = member_client.get("/library/magazine").get_data(as_text=True)
    assert "BP 123" in page  # the member sees their own address


def test_the_mailing_list_of_an_issue_holds_its_languages_readers(admin, admin_client,
                                                                  make_user, client_as):
    dakar, lima = make_user(email="dakar@example.org", name="Awa Ndiaye"), \
        make_user(email="lima@example.org", name="=Rosa Quispe")
    magazine.save(dakar, magazine.Choices(wants_print=True, print_language="fr",
                                          postal_address="BP 123\nDakar"))
    magazine.save(lima, magazine.Choices(wants_print=True, print_language="es",
                                         postal_address="Av. Javier Prado 1\nLima"))
    issue = publish(admin)
    french = service.add_edition(admin, issue, "fr", "Magazine du PEN no 3", "", "fr.pdf",
                                 io.BytesIO(samples.make_pdf(["Magazine du PEN"])))
    french = next(d for d in french.work.editions if d.language == "fr")
    response = admin_client.get(f"/library/{french.id}/mailing-list.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["name", "email", "postal_address", "language", "issue"],
                    ["Awa Ndiaye", "dakar@example.org", "BP 123\nDakar", "fr",
                     "Magazine du PEN no 3"]]
    spanish = publish(admin, service.Metadata(title="Revista PEN 3", doc_type="magazine",
                                              language="es"), name="es.pdf")
    rows = list(csv.reader(io.StringIO(admin_client.get(
        f"/library/{spanish.id}/mailing-list.csv").get_data(as_text=True))))
    assert rows[1][0] == "'=Rosa Quispe"  # no formula reaches the spreadsheet
    # Members may not see the addresses; a document that is no issue has no list.
    assert client_as(dakar).get(f"/library/{french.id}/mailing-list.csv").status_code == 403
    guideline = publish(admin, service.Metadata(title="Guide", doc_type="guideline",
                                                language="en"), name="g.pdf")
    assert admin_client.get(f"/library/{guideline.id}/mailing-list.csv").status_code == 404
    page = admin_client.get(f"/library/{french.id}").get_data(as_text=True)
    assert "Mailing list of this issue" in page
    assert "Mailing list of this issue" not in client_as(dakar).get(
        f"/library/{french.id}").get_data(as_text=True)


def test_the_address_is_in_the_members_own_data(member):
    magazine.save(member, magazine.Choices(wants_print=True, print_language="fr",
                                           postal_address="BP 123\nDakar"))
    records, found = mydata.magazine_choices(member)
    assert records == [{"notify": False, "wants_print": True, "print_language": "fr",
                        "postal_address": "BP 123\nDakar"}] and found == []

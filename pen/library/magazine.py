"""The PEN magazine's readers: told of each new issue in their languages, and the
mailing list of printed copies.

A member chooses on ``/library/magazine``: a notification (through
``pen.notifications``) when an issue is published in one of the languages of their
profile, and printed copies in one language at a postal address. The address is
private: only administrators see it, in the CSV mailing list of an issue.
"""

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, notifications, spreadsheet
from ..auth.models import User, UserStatus
from ..auth.permissions import is_member
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..members.models import ProfileLanguage
from ..types import utcnow
from . import permissions
from .models import Document, MagazineReader
from .vocabulary import UN_LANGUAGES

MAGAZINE = "magazine"  # the document type of the magazine's issues
KIND = "library.magazine_issue"
ADDRESS_MAX = 500


@dataclass
class Choices:
    """What a member chose about the magazine."""

    notify: bool = False
    wants_print: bool = False
    print_language: str = ""
    postal_address: str = ""


def reader_of(user) -> MagazineReader:
    """The member's choices, or a new row that says "nothing" (not yet added)."""
    return db.session.get(MagazineReader, user.id) or MagazineReader(
        user_id=user.id, notify=False, wants_print=False, print_language="", postal_address="")


def save(actor, choices: Choices) -> MagazineReader:
    """Keep the member's choices; printed copies need a language and an address."""
    if not is_member(actor):
        raise Forbidden()
    address = "\n".join(line.strip() for line in choices.postal_address.strip().splitlines()
                        if line.strip())
    if len(address) > ADDRESS_MAX:
        raise ValidationError(_("At most %(n)d characters.", n=ADDRESS_MAX),
                              field="postal_address")
    if choices.wants_print and not address:
        raise ValidationError(_("Give the postal address the printed copies go to."),
                              field="postal_address")
    if choices.wants_print and choices.print_language not in UN_LANGUAGES:
        raise ValidationError(_("Choose the language of your printed copies."),
                              field="print_language")
    reader = reader_of(actor)
    reader.notify, reader.wants_print = choices.notify, choices.wants_print
    reader.print_language = choices.print_language if choices.wants_print else ""
    reader.postal_address, reader.updated_at = address, utcnow()
    db.session.add(reader)
    # The address itself stays out of the audit log: it is the member's private data.
    audit.record(actor, "magazine.choices", None, notify=reader.notify,
                 wants_print=reader.wants_print, language=reader.print_language)
    db.session.commit()
    return reader


def announce(document: Document) -> int:
    """Tell the readers who work in the issue's language (and may open it) that it is out.

    Called in the transaction that adds the edition; returns how many were told.
    """
    if document.work.doc_type != MAGAZINE:
        return 0
    readers = db.session.scalars(
        select(MagazineReader.user_id)
        .join(ProfileLanguage, ProfileLanguage.user_id == MagazineReader.user_id)
        .where(MagazineReader.notify.is_(True), ProfileLanguage.code == document.language))
    url = notifications.path_for("library.document", document_id=document.id)
    return notifications.notify(
        list(readers), KIND, notifications.Target("library_document", document.id,
                                                  document.title, url),
        can_see=lambda user: permissions.can_view_document(user, document),
        actor=document.uploaded_by)


def mailing_list_csv(actor, document: Document) -> str:
    """Name, email and postal address of the readers who want this issue printed in its
    language; administrators only, audited."""
    if not permissions.can_export_mailing_list(actor):
        raise Forbidden()
    rows = db.session.execute(
        select(User.display_name, User.email, MagazineReader.postal_address)
        .join(MagazineReader, MagazineReader.user_id == User.id)
        .where(MagazineReader.wants_print.is_(True), User.status != UserStatus.SUSPENDED,
               MagazineReader.print_language == document.language)
        .order_by(User.display_name, User.id))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "postal_address", "language", "issue"])
    count = 0
    for name, email, address in rows:
        writer.writerow([spreadsheet.safe_cell(v) for v in
                         (name, email, address, document.language, document.title)])
        count += 1
    audit.record(actor, "magazine.mailing_list", document, language=document.language,
                 count=count)
    db.session.commit()
    return out.getvalue()

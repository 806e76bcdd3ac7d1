"""What the library holds of a member, for "download my data": the files they uploaded,
and their choices about the magazine (with their postal address)."""

from sqlalchemy import select

from ..extensions import db
from .models import Document, MagazineReader, Version
from .service import AREA


def uploads(user) -> tuple[list, list]:
    """Every file the member uploaded, with its document's title."""
    rows = db.session.execute(
        select(Version, Document.title).join(Document, Version.document_id == Document.id)
        .where(Version.uploaded_by_id == user.id).order_by(Version.created_at, Version.id)).all()
    records = [{"document": title, "version": version.number, "filename": version.filename,
                "created_at": version.created_at.isoformat()} for version, title in rows]
    found = [(AREA, version.stored_name, f"{version.id}-{version.filename}")
             for version, _title in rows]
    return records, found


def magazine_choices(user) -> tuple[list, list]:
    """The member's magazine choices and postal address, if they made any."""
    reader = db.session.get(MagazineReader, user.id)
    if reader is None:
        return [], []
    return [{"notify": reader.notify, "wants_print": reader.wants_print,
             "print_language": reader.print_language,
             "postal_address": reader.postal_address}], []

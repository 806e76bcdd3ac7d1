"""What the awards hold of a member, for "download my data": the nominations they wrote."""

from sqlalchemy import select

from ..extensions import db
from .models import Nomination, NominationAnswer, NominationDocument


def nominations(user) -> tuple[list, list]:
    """The member's nominations (as nominator), their answers and documents."""
    found = list(db.session.scalars(select(Nomination).where(Nomination.nominator_id == user.id)
                                    .order_by(Nomination.created_at, Nomination.id)))
    records, wanted = [], []
    for item in found:
        answers = db.session.scalars(select(NominationAnswer.value).where(
            NominationAnswer.nomination_id == item.id)).all()
        documents = db.session.scalars(select(NominationDocument).where(
            NominationDocument.nomination_id == item.id)).all()
        records.append({"nominee": item.nominee_name, "organisation": item.nominee_organisation,
                        "statement": item.statement, "status": item.status,
                        "answers": list(answers), "created_at": item.created_at.isoformat(),
                        "documents": [f"{d.id}-{d.filename}" for d in documents]})
        wanted += [("awards", d.stored_name, f"{d.id}-{d.filename}") for d in documents]
    return records, wanted

"""CSV exports for administrators: nominations, reviews, decisions."""

import csv
import io

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..members import countries
from ..spreadsheet import safe_cell
from .models import AwardCycle, Nomination, Review
from .reviewing import ranking

KINDS = ("nominations", "reviews", "decisions")


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_cell(value) for value in row)
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheet programs read UTF-8


def _nominations(cycle: AwardCycle) -> list[Nomination]:
    return list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status != "draft").order_by(Nomination.id)))


def _time(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def nominations_csv(cycle: AwardCycle) -> str:
    """Every submitted or withdrawn nomination with its answers (drafts stay private)."""
    questions = cycle.questions
    header = ["id", "category", "status", "nominator", "nominator_email", "nominee_kind",
              "nominee", "nominee_organisation", "nominee_country", "nominee_email",
              "statement", "submitted_at_utc", *[q.label for q in questions]]
    rows = []
    for n in _nominations(cycle):
        answers = {a.question_id: a.value for a in n.answers}
        answers.update({d.question_id: d.filename for d in n.documents})
        rows.append([n.id, n.category.name, n.status, n.nominator.display_name,
                     n.nominator.email, n.nominee_kind, n.nominee_name,
                     n.nominee_organisation, countries.name(n.nominee_country),
                     n.nominee_email, n.statement, _time(n.submitted_at),
                     *[answers.get(q.id, "") for q in questions]])
    return _csv(header, rows)


def reviews_csv(cycle: AwardCycle) -> str:
    """Every review: reviewer, each criterion's score, the weighted mean and the comment."""
    criteria = cycle.criteria
    header = ["nomination_id", "category", "nominee", "reviewer", "weighted_mean",
              *[c.name for c in criteria], "comment", "updated_at_utc"]
    stmt = (select(Review, Nomination, User).join(Nomination, Review.nomination_id ==
                                                  Nomination.id)
            .join(User, User.id == Review.reviewer_id).where(Nomination.cycle_id == cycle.id)
            .order_by(Nomination.id, User.display_name))
    rows = []
    for review, nomination, reviewer in db.session.execute(stmt):
        scores = {s.criterion_id: s.score for s in review.scores}
        rows.append([nomination.id, nomination.category.name, nomination.nominee_name,
                     reviewer.display_name, f"{review.weighted:.2f}",
                     *[scores.get(c.id, "") for c in criteria], review.comment,
                     _time(review.updated_at)])
    return _csv(header, rows)


def decisions_csv(cycle: AwardCycle) -> str:
    """The ranking with each nomination's decision, category by category."""
    header = ["category", "rank", "nomination_id", "nominee", "weighted_mean", "spread",
              "reviews", "decision", "decided_at_utc", "nominator_notified_at_utc"]
    rows = []
    names = {c.id: c.name for c in cycle.categories}
    for category_id, ranked in ranking(cycle).items():
        for rank, row in enumerate(ranked, 1):
            n = row.nomination
            rows.append([names.get(category_id, ""), rank, n.id, n.nominee_name,
                         "" if row.mean is None else f"{row.mean:.2f}",
                         "" if row.spread is None else f"{row.spread:.2f}", row.count,
                         n.decision or "", _time(n.decided_at), _time(n.notified_at)])
    return _csv(header, rows)


EXPORTS = {"nominations": nominations_csv, "reviews": reviews_csv, "decisions": decisions_csv}

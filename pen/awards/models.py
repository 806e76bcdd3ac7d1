"""Award cycles, their categories, questions and rubric; nominations, reviews, decisions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow


class NomineeKind(StrEnum):
    """Who is nominated: a member, someone outside the network, an organisation, oneself."""

    MEMBER = "member"
    PERSON = "person"
    ORGANISATION = "organisation"
    SELF = "self"


class NominationStatus(StrEnum):
    """A nomination's life: saved as a draft, submitted, or withdrawn by its nominator."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    """What the Advisory Committee decided (set by administrators)."""

    SHORTLISTED = "shortlisted"
    WINNER = "winner"
    NOT_SELECTED = "not_selected"


class QuestionKind(StrEnum):
    """The kinds of question a nomination form asks."""

    TEXT = "text"
    CHOICE = "choice"
    FILE = "file"


class AwardCycle(db.Model):
    """One call for nominations ("PEN Awards 2011"): its moments are stored in UTC."""

    __tablename__ = "award_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    grace_minutes: Mapped[int] = mapped_column(default=30)
    review_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    categories: Mapped[list["AwardCategory"]] = relationship(
        back_populates="cycle", order_by="AwardCategory.position, AwardCategory.id",
        cascade="all, delete-orphan")
    questions: Mapped[list["FormQuestion"]] = relationship(
        order_by="FormQuestion.position, FormQuestion.id", cascade="all, delete-orphan")
    criteria: Mapped[list["RubricCriterion"]] = relationship(
        order_by="RubricCriterion.position, RubricCriterion.id", cascade="all, delete-orphan")


class AwardCategory(db.Model):
    """A category of the awards, with what it rewards and who is eligible."""

    __tablename__ = "award_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycles.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    eligibility_html: Mapped[str] = mapped_column(Text, default="")
    allow_self: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)

    cycle: Mapped[AwardCycle] = relationship(back_populates="categories")


class FormQuestion(db.Model):
    """A question of the nomination form: free text, a choice, or a supporting document."""

    __tablename__ = "award_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycles.id", ondelete="CASCADE"),
                                          index=True)
    label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default=QuestionKind.TEXT)
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)


class RubricCriterion(db.Model):
    """A criterion reviewers score from 1 to 5; its weight counts in the weighted mean."""

    __tablename__ = "award_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycles.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)


class Nomination(db.Model):
    """A nomination: who nominates whom in which category, and where it stands."""

    __tablename__ = "award_nominations"
    __table_args__ = (
        Index("ix_award_nominations_cycle_status", "cycle_id", "status", "category_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycles.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("award_categories.id", ondelete="CASCADE"), index=True)
    nominator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    nominee_kind: Mapped[str] = mapped_column(String(16), default=NomineeKind.MEMBER)
    nominee_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    nominee_name: Mapped[str] = mapped_column(String(200))
    nominee_organisation: Mapped[str] = mapped_column(String(200), default="")
    nominee_country: Mapped[str | None] = mapped_column(String(2))
    nominee_email: Mapped[str] = mapped_column(String(254), default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    statement_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=NominationStatus.DRAFT)
    decision: Mapped[str | None] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[AwardCycle] = relationship()
    category: Mapped[AwardCategory] = relationship()
    nominator: Mapped[User] = relationship(foreign_keys=[nominator_id])
    nominee_user: Mapped[User | None] = relationship(foreign_keys=[nominee_user_id])
    answers: Mapped[list["NominationAnswer"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")
    documents: Mapped[list["NominationDocument"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="NominationDocument.id")


class NominationAnswer(db.Model):
    """The answer to a text or choice question."""

    __tablename__ = "award_answers"

    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("award_questions.id", ondelete="CASCADE"), primary_key=True, index=True)
    value: Mapped[str] = mapped_column(Text, default="")


class NominationDocument(db.Model):
    """A supporting document answering a file question; stored under a random name."""

    __tablename__ = "award_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("award_questions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(default=0)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conflict(db.Model):
    """A conflict of interest: declared by the reviewer, or a flag an admin cleared.

    Likely conflicts are computed from profiles each time (see ``conflicts.py``);
    a row with ``cleared_at`` set records that an administrator cleared them.
    """

    __tablename__ = "award_conflicts"
    __table_args__ = (UniqueConstraint("nomination_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    declared: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(500), default="")
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Review(db.Model):
    """A reviewer's scores and comment on a nomination; ``weighted`` is derived."""

    __tablename__ = "award_reviews"
    __table_args__ = (UniqueConstraint("nomination_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    comment_html: Mapped[str] = mapped_column(Text, default="")
    weighted: Mapped[float] = mapped_column(Float, default=0.0)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User] = relationship()
    scores: Mapped[list["ReviewScore"]] = relationship(cascade="all, delete-orphan",
                                                       lazy="selectin")


class ReviewScore(db.Model):
    """One criterion's score (1 to 5) in a review."""

    __tablename__ = "award_review_scores"

    review_id: Mapped[int] = mapped_column(ForeignKey("award_reviews.id", ondelete="CASCADE"),
                                           primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("award_criteria.id", ondelete="CASCADE"), primary_key=True, index=True)
    score: Mapped[int] = mapped_column()


class DiscussionPost(db.Model):
    """A message in a nomination's committee-only discussion."""

    __tablename__ = "award_discussion_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("award_nominations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()

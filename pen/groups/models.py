"""Thematic groups: the group, its members, join requests, invitations, work plan, meetings.

Work-plan links and meeting minutes point at objects of higher layers (forum
topics, library documents) by ``(kind, id)``, without a foreign key: those
tables belong to areas that come after this one, and the link-kind registry
(``pen.groups.registry``) resolves them, for each viewer, to a title, an
address and whether the viewer may open them.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..types import UTCDateTime, utcnow

LISTED, UNLISTED = "listed", "unlisted"
VISIBILITIES = (LISTED, UNLISTED)
OPEN, REQUEST, INVITATION = "open", "request", "invitation"
JOIN_POLICIES = (OPEN, REQUEST, INVITATION)
COORDINATOR, MEMBER = "coordinator", "member"
ROLES = (COORDINATOR, MEMBER)
PENDING, ACCEPTED, DECLINED, WITHDRAWN = "pending", "accepted", "declined", "withdrawn"
PLANNED, IN_PROGRESS, DONE, DROPPED = "planned", "in_progress", "done", "dropped"
ACTIVITY_STATUSES = (PLANNED, IN_PROGRESS, DONE, DROPPED)


class Group(db.Model):
    """A thematic group: a dozen experts working together on one subject."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    picture: Mapped[str | None] = mapped_column(String(64))  # stored file name
    visibility: Mapped[str] = mapped_column(String(16), default=LISTED)
    join_policy: Mapped[str] = mapped_column(String(16), default=REQUEST)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_listed(self) -> bool:
        """Listed groups appear in the list of groups to every member."""
        return self.visibility == LISTED


class GroupMembership(db.Model):
    """A member's place in a group, as coordinator or member."""

    __tablename__ = "group_memberships"
    __table_args__ = (Index("ix_group_memberships_group_role", "group_id", "role"),)

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), default=MEMBER)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_coordinator(self) -> bool:
        """Coordinators manage the group, its members and its work plan."""
        return self.role == COORDINATOR


class JoinRequest(db.Model):
    """A member's request to join a group whose policy is "by request".

    One row per member and group: asking again after a decision reopens it.
    """

    __tablename__ = "group_join_requests"
    __table_args__ = (UniqueConstraint("group_id", "user_id",
                                       name="uq_group_join_requests_group_user"),
                      Index("ix_group_join_requests_group_status", "group_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    message: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_message: Mapped[str] = mapped_column(String(1000), default="")

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)


class GroupInvitation(db.Model):
    """A coordinator's invitation of a member; the member accepts or declines it."""

    __tablename__ = "group_invitations"
    __table_args__ = (UniqueConstraint("group_id", "user_id",
                                       name="uq_group_invitations_group_user"),
                      Index("ix_group_invitations_group_status", "group_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class Activity(db.Model):
    """One line of a group's work plan."""

    __tablename__ = "group_activities"
    __table_args__ = (Index("ix_group_activities_plan", "group_id", "start_date", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=PLANNED)
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[Group] = relationship()
    owners: Mapped[list[User]] = relationship(secondary="group_activity_owners",
                                              lazy="selectin", order_by="User.display_name")
    links: Mapped[list["ActivityLink"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ActivityLink.id")

    def is_overdue(self, today: date) -> bool:
        """Past its due date and neither done nor dropped."""
        return (self.due_date is not None and self.due_date < today
                and self.status in (PLANNED, IN_PROGRESS))


class ActivityOwner(db.Model):
    """A member responsible for an activity."""

    __tablename__ = "group_activity_owners"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("group_activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class ActivityLink(db.Model):
    """A topic, document… that delivers an activity, named by kind and id."""

    __tablename__ = "group_activity_links"
    __table_args__ = (UniqueConstraint("activity_id", "kind", "target_id",
                                       name="uq_group_activity_links_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("group_activities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)


class Meeting(db.Model):
    """A group meeting; its minutes are a library document (``minutes_document_id``)."""

    __tablename__ = "group_meetings"
    __table_args__ = (Index("ix_group_meetings_group_starts", "group_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    place: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    agenda_html: Mapped[str] = mapped_column(Text, default="")
    minutes_document_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[Group] = relationship()

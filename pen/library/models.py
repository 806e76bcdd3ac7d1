"""The library: works, their language editions, and the versions of each edition.

A *work* is what the network publishes (the PEN magazine no. 1, a guideline):
its type, year, topics, country and who may open it are the same in every
language. An *edition* (``Document``) is the work in one language, with its own
title, description and files; it is what a member opens, downloads and finds in
search. Each upload of a file for an edition is a *version*; the newest is the
default download and the one whose text is searched, older ones stay
downloadable. Extracted text is stored with the version, so the index can be
rebuilt without reading the files again.
"""

import json
from bisect import bisect_right
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..auth.models import User
from ..extensions import db
from ..members.models import ExpertiseArea
from ..types import UTCDateTime, utcnow

# Who may open a work's editions.
ACCESS_NETWORK, ACCESS_GROUP, ACCESS_ADMINS = "network", "group", "admins"
ACCESS_LEVELS = (ACCESS_NETWORK, ACCESS_GROUP, ACCESS_ADMINS)

# Where a version's text extraction stands.
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"

work_topics = Table(
    "library_work_topics",
    db.metadata,
    Column("work_id", ForeignKey("library_works.id", ondelete="CASCADE"), primary_key=True),
    Column("expertise_id", ForeignKey("expertise_areas.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Work(db.Model):
    """A publication, whatever its language: type, year, topics, country, access."""

    __tablename__ = "library_works"
    __table_args__ = (Index("ix_library_works_access", "access", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40), index=True)
    authors: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    access: Mapped[str] = mapped_column(String(10), default=ACCESS_NETWORK)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Loaded when used: lists of documents need none of them (indexing asks for topics).
    topics: Mapped[list[ExpertiseArea]] = relationship(
        secondary=work_topics, order_by=ExpertiseArea.name)
    created_by: Mapped[User | None] = relationship()
    editions: Mapped[list["Document"]] = relationship(
        back_populates="work", order_by="Document.language", cascade="all, delete-orphan")


class Document(db.Model):
    """One language edition of a work: what members open, download and find."""

    __tablename__ = "library_documents"
    __table_args__ = (
        UniqueConstraint("work_id", "language"),
        Index("ix_library_documents_newest", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("library_works.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    work: Mapped[Work] = relationship(back_populates="editions", lazy="joined",
                                      innerjoin=True)
    uploaded_by: Mapped[User | None] = relationship()
    versions: Mapped[list["Version"]] = relationship(
        back_populates="document", order_by="Version.number.desc()", lazy="select",
        cascade="all, delete-orphan")

    @property
    def current(self) -> "Version | None":
        """The default version: the newest upload."""
        return next((v for v in self.versions if v.id == self.current_version_id),
                    self.versions[0] if self.versions else None)

    def siblings(self) -> list["Document"]:
        """The other language editions of the same work."""
        return [d for d in self.work.editions if d.id != self.id]


class Version(db.Model):
    """One uploaded file of an edition, its checksum and its extracted text."""

    __tablename__ = "library_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        # The activity feed's "new versions": only files that replaced an earlier one (few).
        Index("ix_library_versions_later", "created_at", "id",
              sqlite_where=text("number > 1"), postgresql_where=text("number > 1")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("library_documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer, default=1)
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, UTF-8
    stored_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    extraction: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    extraction_error: Mapped[str] = mapped_column(String(300), default="")
    extraction_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text: Mapped[str] = deferred(mapped_column(Text, default=""))
    pages_json: Mapped[str] = deferred(mapped_column(Text, default=""))
    text_truncated: Mapped[bool] = mapped_column(default=False)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def pages(self) -> list[tuple[int, str]]:
        """(offset in ``text``, printed label) of each page; empty for unpaged files."""
        return [tuple(p) for p in json.loads(self.pages_json)] if self.pages_json else []


def page_at(pages: list[tuple[int, str]], offset: int) -> str | None:
    """The printed label of the page holding character ``offset`` of the text."""
    if not pages:
        return None
    index = bisect_right([start for start, _ in pages], offset) - 1
    return pages[max(0, index)][1]


class MagazineReader(db.Model):
    """A member's choices about the PEN magazine: to be told of each new issue in their
    languages, and to receive printed copies at a postal address that only
    administrators see (in the mailing list of an issue)."""

    __tablename__ = "magazine_readers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    notify: Mapped[bool] = mapped_column(default=False, index=True)
    wants_print: Mapped[bool] = mapped_column(default=False, index=True)
    print_language: Mapped[str] = mapped_column(String(8), default="")
    postal_address: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

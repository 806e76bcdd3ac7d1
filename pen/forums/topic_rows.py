"""A page of a topic list as plain rows: the columns the table shows, read without the
ORM's objects.

Thirty topics with their authors and categories as ORM objects took several times
longer to load than their statement took to run (eager joins, the identity map, an
instance state per object), and the table only reads them. A ``TopicRow`` has the
attributes the table uses, named as on ``Topic``; its author is an ``avatars.Face``
and its category a ``CategoryName``. Which topics, and in which order, is
``reading.narrowed`` and ``reading.LIST_ORDER``: the same as the ORM's lists.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from ..auth.models import User
from ..avatars import Face
from ..extensions import db
from .models import Category, Topic

COLUMNS = (Topic.id, Topic.title, Topic.pinned, Topic.locked, Topic.solved, Topic.deleted,
           Topic.last_post_number, Topic.post_count, Topic.view_count, Topic.last_post_at,
           Topic.last_poster_id, User.id, User.display_name, User.avatar_key, Category.id,
           Category.name, Category.slug)


@dataclass(frozen=True, slots=True)
class CategoryName:
    """What a topic row shows of its category: its name and link."""

    id: int
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class TopicRow:
    """One topic as the table shows it (attributes named as on ``Topic``)."""

    id: int
    title: str
    pinned: bool
    locked: bool
    solved: bool
    deleted: bool
    last_post_number: int
    post_count: int
    view_count: int
    last_post_at: datetime
    last_poster_id: int | None
    author: Face | None
    category: CategoryName

    reply_count = property(Topic.reply_count.fget)  # the model's own rule


def rows_query(narrow):
    """``narrow(select)`` applied to the columns of a row, authors and categories joined."""
    return narrow(select(*COLUMNS).join(Category, Category.id == Topic.category_id)
                  .outerjoin(User, User.id == Topic.author_id))


def _row(values) -> TopicRow:
    """A row of ``COLUMNS`` as a ``TopicRow``."""
    (*topic, author_id, name, avatar_key, category_id, category_name, slug) = values
    author = Face(author_id, name, avatar_key) if author_id is not None else None
    return TopicRow(*topic, author, CategoryName(category_id, category_name, slug))


class RowsPagination(Pagination):
    """A page of topic rows: ``rows`` (ordered) for the items, ``counter`` for the total."""

    def _query_items(self) -> list[TopicRow]:
        """The page's rows."""
        query = self._query_args["rows"].limit(self.per_page).offset(
            (self.page - 1) * self.per_page)
        return [_row(values) for values in db.session.execute(query)]

    def _query_count(self) -> int:
        """How many topics the list holds."""
        return db.session.scalar(self._query_args["counter"])


def page_of_rows(narrow, order, page: int, per_page: int) -> RowsPagination:
    """The page ``page`` of the topics ``narrow`` keeps, in ``order``."""
    return RowsPagination(page=page, per_page=per_page, max_per_page=None, error_out=False,
                          rows=rows_query(narrow).order_by(*order),
                          counter=narrow(select(func.count()).select_from(Topic)))

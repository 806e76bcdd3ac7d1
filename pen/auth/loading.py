"""Loading the signed-in member: one statement per request.

Every signed-in page needs the session row, the account and its roles, and most show
more about the member: the language and clock of their profile, the site mode, their
groups, the bell's counts. Areas register what they need as *riders*: a scalar
expression correlated to ``users.id`` (``register_rider``). ``load`` reads the session,
the account, its roles and every rider in one SELECT, and keeps the riders' values for
the rest of the request (``rider``).

Nothing is cached between requests, so a role removed, a session ended, an account
suspended or the site mode changed show on the very next request. Within a request, a
rider's value is dropped as soon as the request writes one of the tables it names
(``depends_on``): reading a conversation, then drawing the page, counts it read.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import ORMExecuteState, Session, contains_eager

from ..extensions import db
from ..tokens import digest
from .models import Role, User, UserSession, user_roles

_RIDERS_KEY = "pen.auth.riders"
_STATEMENT_KEY = "pen.auth.session_statement"
MISSING = object()


@dataclass(frozen=True)
class Rider:
    """What an area reads with the member: ``column(users.id)`` gives a scalar expression
    (a correlated subquery); the value is dropped when the request writes ``depends_on``."""

    key: str
    column: Callable
    depends_on: tuple[str, ...] = ()


def register_rider(app: Flask, key: str, column: Callable, depends_on: tuple[str, ...] = ()):
    """Read ``column(User.id)`` with every signed-in member of ``app``, as ``rider(key)``."""
    app.extensions.setdefault(_RIDERS_KEY, {})[key] = Rider(key, column, tuple(depends_on))
    app.extensions.pop(_STATEMENT_KEY, None)


def _riders() -> dict[str, Rider]:
    """The current app's riders, by key."""
    return current_app.extensions.get(_RIDERS_KEY, {})


def _statement(riders: list[Rider]):
    """The session by its digest, its account, the account's roles and the riders: built
    once per app (bound parameters ``digest`` and ``user_id``). The roles are joined flat:
    a nested join makes SQLite materialise every account's roles."""
    return (select(UserSession, User, *(r.column(User.id).label(f"r{i}")
                                        for i, r in enumerate(riders)))
            .join(User, User.id == UserSession.user_id)
            .outerjoin(user_roles, user_roles.c.user_id == User.id)
            .outerjoin(Role, Role.id == user_roles.c.role_id)
            .options(contains_eager(User.roles))
            .where(UserSession.token_digest == bindparam("digest"),
                   UserSession.user_id == bindparam("user_id")))


def _prepared() -> tuple[list[Rider], object]:
    """This app's riders and its statement (made on first use: areas register first)."""
    prepared = current_app.extensions.get(_STATEMENT_KEY)
    if prepared is None:
        riders = list(_riders().values())
        prepared = current_app.extensions[_STATEMENT_KEY] = (riders, _statement(riders))
    return prepared


def load(user_id: int, token: str) -> tuple[UserSession, User] | None:
    """``(session row, account)`` of this cookie (roles loaded), or None if there is no
    such session of that account; the riders' values are kept for this request."""
    riders, statement = _prepared()
    rows = db.session.execute(statement, {"digest": digest(token), "user_id": user_id})
    rows = rows.unique().all()
    if not rows:
        return None
    record, user, *values = rows[0]
    g.pen_riders = (user.id, {r.key: v for r, v in zip(riders, values, strict=True)})
    return record, user


def rider(key: str, user) -> object:
    """The value of rider ``key`` read with ``user`` in this request, or ``MISSING`` (not
    loaded with the session, another member, or dropped by a write)."""
    if not has_app_context():
        return MISSING
    loaded = g.get("pen_riders")
    if loaded is None or loaded[0] != getattr(user, "id", None):
        return MISSING
    return loaded[1].get(key, MISSING)


def forget(*keys: str) -> None:
    """Drop these riders' values for the rest of the request (their data just changed)."""
    if has_app_context() and g.get("pen_riders") is not None:
        for key in keys:
            g.pen_riders[1].pop(key, None)


def _drop(tables: set[str]) -> None:
    """Forget the riders that depend on any of ``tables`` (this request wrote them)."""
    if not has_app_context() or g.get("pen_riders") is None:
        return
    values = g.pen_riders[1]
    for key, spec in _riders().items():
        if tables.intersection(spec.depends_on):
            values.pop(key, None)


def _written_tables(session: Session) -> set[str]:
    """The tables of the objects ``session`` is about to flush."""
    return {getattr(obj, "__tablename__", "") for obj in
            (*session.new, *session.dirty, *session.deleted)}


@event.listens_for(Session, "before_flush")
def _on_flush(session, _context, _instances) -> None:
    """Objects written: drop the riders reading their tables."""
    if has_app_context() and g.get("pen_riders") is not None:  # else nothing to drop
        _drop(_written_tables(session))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    """Bulk ``update``/``delete``/``insert`` statements: drop the riders reading their table."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        _drop({getattr(table, "name", "")})

"""Notifying members: every area sends through here.

An area calls ``notify`` with the recipients, a kind ("forum.reply"), a target
(a type, an id, a title and a link) and a ``can_see(user)`` check; members who
may not see the target get nothing. Because a target can become invisible later
(a topic moved into a group, a member removed from it), each area also
registers, per target type, a function answering "which of these ids may this
member still see?"; immediate emails and digests ask it before sending anything.
A target whose visibility is a registered ``pen.visibility`` rule registers
``RuleTarget(kind)``, which answers both from the rule. Otherwise the check may
be an object with a ``query`` method too (``groups.notices.OwnInvitations``),
``query(user)`` -> a SELECT of the ids the member may see: the page and the bell
then leave the others out inside
their own SQL (so a page is full and the count is exact, and reading writes
nothing). This module knows no area.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from sqlalchemy import false, func, insert, or_, select, true, update

from .. import audit, markup, visibility
from ..auth import loading, permissions
from ..auth.models import User
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..types import distinct_strings, utcnow
from . import texts
from .models import EMAIL_MODES, EMAIL_NONE, PENDING, Notification, NotificationSettings

_TARGETS_KEY = "pen.notification_targets"
_KINDS_KEY = "pen.notification_kinds"
_SILENCERS_KEY = "pen.notification_silencers"
EXCERPT_CHARS = 300
VisibleIds = Callable[[object, Collection[int]], Iterable[int]]


@dataclass(frozen=True)
class Target:
    """What a notification is about: ``type``/``id`` for visibility, a title and a link."""

    type: str
    id: int
    title: str
    url: str


class RuleTarget:
    """A target type whose visibility is a registered ``pen.visibility`` rule: the ids
    check and its SQL form (``query``) both come from the rule of ``kind``."""

    def __init__(self, kind: str):
        """Targets whose visibility is the registered rule of ``kind``."""
        self.kind = kind

    def __call__(self, user, ids: Collection[int]) -> set[int]:
        """Which of ``ids`` the member may see now."""
        return visibility.rule_for(self.kind).visible_ids(user, ids)

    def query(self, user):
        """A SELECT of the ids the member may see."""
        return visibility.rule_for(self.kind).ids_query(user)


def register_target(app: Flask, target_type: str, visible_ids: VisibleIds) -> None:
    """Say how to tell which targets of ``target_type`` a member may (still) see."""
    if "," in target_type:  # the bell reads the unread types joined by commas
        raise ValueError(f"a target type has no comma: {target_type!r}")
    app.extensions.setdefault(_TARGETS_KEY, {})[target_type] = visible_ids


def register_kind(app: Flask, kind: str, label) -> None:
    """Name a kind of notification for the page ("New reply"); a lazy string."""
    app.extensions.setdefault(_KINDS_KEY, {})[kind] = label


def register_silencer(app: Flask, silenced: Callable[[set[int], object], set[int]]) -> None:
    """Add a check ``silenced(recipient_ids, actor)`` -> the recipients who asked not to
    hear of ``actor`` (a member they blocked): they get nothing of theirs."""
    app.extensions.setdefault(_SILENCERS_KEY, []).append(silenced)


def _silenced(ids: set[int], actor) -> set[int]:
    """Recipients who silenced ``actor``, by every registered check."""
    if actor is None:
        return set()
    found: set[int] = set()
    for check in current_app.extensions.get(_SILENCERS_KEY, []):
        found |= set(check(ids, actor))
    return found


def kind_labels() -> dict[str, str]:
    """The registered names of kinds of notification."""
    return dict(current_app.extensions.get(_KINDS_KEY, {}))


def visible_targets(user, target_type: str, ids: Collection[int]) -> set[int]:
    """Those of ``ids`` the member may see now; nothing for unknown types or non-members."""
    check = current_app.extensions.get(_TARGETS_KEY, {}).get(target_type)
    if check is None or not ids or not permissions.is_member(user):
        return set()
    return set(check(user, ids)) & set(ids)


def visible_clause(user, types: Collection[str] | None = None):
    """SQL condition on ``Notification``: its target is one ``user`` may see now.

    Types registered without a ``query`` cannot be filtered in SQL; they pass
    here and ``listing`` checks them on the page instead. ``types`` narrows the
    condition to those target types (building every type's clause costs more
    than the query it filters).
    """
    if not permissions.is_member(user):
        return false()
    parts = []
    for target_type, check in current_app.extensions.get(_TARGETS_KEY, {}).items():
        if types is not None and target_type not in types:
            continue
        query = getattr(check, "query", None)
        parts.append((Notification.target_type == target_type)
                     & (true() if query is None else _still_visible(query(user))))
    return or_(*parts) if parts else false()


def _still_visible(ids):
    """``target_id`` is among ``ids`` (a SELECT of one id column), asked per notification.

    A correlated scalar subquery, which PostgreSQL does not turn into a join: each of
    the member's notifications costs one primary-key lookup, however many targets the
    site has (``IN (SELECT …)`` hashed every topic of the site on every page's bell).
    """
    id_column = ids.selected_columns[0]
    return Notification.target_id == ids.where(
        id_column == Notification.target_id).scalar_subquery()


def default_email_mode() -> str:
    """The email choice of members who never made one (``NOTIFICATIONS_DEFAULT_EMAIL``)."""
    mode = current_app.config.get("NOTIFICATIONS_DEFAULT_EMAIL", "immediate")
    return mode if mode in EMAIL_MODES else EMAIL_NONE


def email_modes(user_ids: Collection[int]) -> dict[int, str]:
    """Each member's email choice, the default for those who made none (one query)."""
    chosen = dict(db.session.execute(
        select(NotificationSettings.user_id, NotificationSettings.email_mode)
        .where(NotificationSettings.user_id.in_(list(user_ids)))).all()) if user_ids else {}
    default = default_email_mode()
    return {uid: chosen.get(uid, default) for uid in user_ids}


def notify(recipients: Iterable, kind: str, target: Target, *, can_see: Callable[[object], bool],
           actor=None, excerpt: str = "") -> int:
    """Notify each recipient (users or ids) who may see ``target``; never the actor,
    nor those who silenced the actor (``register_silencer``).

    Rows are added to the caller's transaction; emails follow from the worker
    (immediate) or ``flask --app pen mail digest``. Returns how many were notified.
    """
    ids = {int(getattr(r, "id", r)) for r in recipients} - {getattr(actor, "id", None)}
    ids -= _silenced(ids, actor)
    if not ids:
        return 0
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    allowed = [u.id for u in users if permissions.is_member(u) and can_see(u)]
    modes, now = email_modes(allowed), utcnow()
    title = texts.store(target.title, 300)
    short = texts.store(excerpt) if isinstance(excerpt, texts.Sentence) else _excerpt(excerpt)
    rows = [{"user_id": uid, "kind": kind, "target_type": target.type, "target_id": target.id,
             "title": title, "url": target.url[:500], "excerpt": short,
             "actor_id": getattr(actor, "id", None), "created_at": now,
             "email_state": None if modes[uid] == EMAIL_NONE else PENDING} for uid in allowed]
    if rows:
        db.session.execute(insert(Notification), rows)
    return len(rows)


def notify_grouped(recipient, kind: str, target: Target, *, can_see: Callable[[object], bool],
                   actor=None, excerpt="") -> int:
    """Like ``notify`` for one recipient, but one notification per target: an existing
    one of this kind is updated (new wording, actor and time, unread again) rather
    than a new one added, so many small events (reactions) make one line. Not emailed
    again once emailed. Returns how many were notified (0 or 1)."""
    user_id = int(getattr(recipient, "id", recipient))
    existing = db.session.scalar(select(Notification).where(
        Notification.user_id == user_id, Notification.kind == kind,
        Notification.target_type == target.type, Notification.target_id == target.id))
    if existing is None:
        return notify([user_id], kind, target, can_see=can_see, actor=actor, excerpt=excerpt)
    if user_id == getattr(actor, "id", None) or not can_see(db.session.get(User, user_id)):
        return 0
    existing.title, existing.url = texts.store(target.title, 300), target.url[:500]
    existing.excerpt = texts.store(excerpt) if isinstance(excerpt, texts.Sentence) \
        else _excerpt(excerpt)
    existing.actor_id, existing.created_at, existing.read_at = \
        getattr(actor, "id", None), utcnow(), None
    return 1


def _excerpt(text: str) -> str:
    """The first words of a text, on one line, as plain words (Markdown removed)."""
    text = " ".join(markup.plain_text(text).split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"


def withdraw_excerpts(url: str) -> None:
    """Blank the quoted text of the notifications linking to ``url`` (the words were
    hidden, deleted or redacted since); in the caller's transaction."""
    db.session.execute(update(Notification).where(Notification.url == url[:500])
                       .values(excerpt=""))


UNREAD_RIDER = "notifications.unread_types"


def unread_column(user_id):
    """The target types of the member's unread notifications, visible or not, read with
    the session (``pen.auth.loading``): NULL, as for most members, means the bell needs
    no query of its own; else only those types' visibility rules are counted."""
    return (select(distinct_strings(Notification.target_type))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .scalar_subquery())


def unread_count(user) -> int:
    """How many unread notifications the member has about what they may still see."""
    if not permissions.is_member(user):
        return 0
    unread = (Notification.user_id == user.id) & Notification.read_at.is_(None)
    types = _unread_types(user, unread)
    if not types:
        return 0  # the usual case: read with the session, no query
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        unread, visible_clause(user, types))) or 0


def _unread_types(user, unread) -> set[str]:
    """The target types among the member's unread notifications: read with the session
    unless this request wrote notifications, else one indexed look."""
    loaded = loading.rider(UNREAD_RIDER, user)
    if loaded is not loading.MISSING:
        return set(filter(None, (loaded or "").split(",")))
    # Building the visibility rules of every type costs more than the query they filter.
    return set(db.session.scalars(select(Notification.target_type).where(unread).distinct()))


def listing(user, page: int = 1, per_page: int = 30):
    """A page of the member's notifications, newest first, and the visible ones on it.

    Those whose target the member can no longer see are left out (by the query,
    and checked again on the page); nothing is written.
    """
    query = (select(Notification).where(Notification.user_id == user.id, visible_clause(user))
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return pagination, split_visible(user, pagination.items)[0]


def split_visible(user, notes: list[Notification]) -> tuple[list, list]:
    """(notifications whose target ``user`` may still see, the others), one check per type."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for note in notes:
        by_type[note.target_type].add(note.target_id)
    seen = {t: visible_targets(user, t, ids) for t, ids in by_type.items()}
    visible = [n for n in notes if n.target_id in seen[n.target_type]]
    return visible, [n for n in notes if n.target_id not in seen[n.target_type]]


def open_notification(user, notification_id: int) -> str:
    """Mark one of the member's notifications read; its link (404 if not theirs or hidden)."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id or not split_visible(user, [note])[0]:
        raise NotFound()
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note.url


def latest(user, limit: int) -> list[Notification]:
    """The member's newest notifications about what they may still see (for the bell)."""
    query = (select(Notification).where(Notification.user_id == user.id, visible_clause(user))
             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return split_visible(user, list(db.session.scalars(query)))[0]


def mark_read(user, ids: Collection[int]) -> int:
    """Mark these of the member's notifications read (others' ids are ignored)."""
    if not ids:
        return 0
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.id.in_(list(ids)),
        Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount


def mark_all_read(user) -> int:
    """Mark every unread notification of the member read (those about what they can no
    longer see too, so none comes back as unread later); how many there were."""
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount


def email_mode(user) -> str:
    """The member's email choice."""
    return email_modes([user.id])[user.id]


def set_email_mode(user, mode: str) -> None:
    """Choose immediate emails, a daily digest, or none (audited)."""
    if mode not in EMAIL_MODES:
        raise ValidationError(_("Choose one of the options."), field="email_mode")
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        db.session.add(settings)
    settings.email_mode = mode
    audit.record(user, "notifications.email_mode", user, mode=mode)
    db.session.commit()


def path_for(endpoint: str, **values) -> str:
    """The site path of an endpoint, also outside a request (commands, the worker)."""
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    with current_app.test_request_context():
        return url_for(endpoint, _external=False, **values)


def absolute_url(path: str) -> str:
    """A link for an email: ``SITE_URL`` (or the current request's host) plus ``path``."""
    base = current_app.config.get("SITE_URL")
    if not base:
        base = request.host_url if has_request_context() else "http://{}".format(
            current_app.config.get("SERVER_NAME") or "127.0.0.1:5000")
    return base.rstrip("/") + "/" + path.lstrip("/")

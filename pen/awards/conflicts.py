"""Conflicts of interest: declared by reviewers, flagged by the system, cleared by admins.

A reviewer is flagged on a nomination when they are its nominee or nominator,
or share an organisation or a country with either. Flags are computed from the
current profiles every time (so a profile change is taken into account); an
administrator's clearance is a ``Conflict`` row with ``cleared_at`` set. A
declared conflict cannot be cleared: it is the reviewer's own word.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select

from ..extensions import db
from ..members.models import Profile
from .models import Conflict, Nomination


@dataclass
class ConflictState:
    """What is known about one reviewer and one nomination."""

    declared: bool = False
    reason: str = ""
    raw: list[tuple[str, str]] = field(default_factory=list)
    cleared: bool = False

    @property
    def flags(self) -> list[str]:
        """Why the reviewer is likely in conflict, in words (translated when asked: the
        ranking checks hundreds of pairs and needs only ``restricted``)."""
        return [describe(flag) for flag in self.raw]

    @property
    def restricted(self) -> bool:
        """True when the reviewer may not score, nor see the others' reviews."""
        return self.declared or (bool(self.raw) and not self.cleared)


@dataclass(frozen=True)
class Party:
    """A nominee or nominator as far as conflicts go: who, where from, which country."""

    user_id: int | None
    organisation: str
    country: str | None


def _key(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _profiles(user_ids: Iterable[int]) -> dict[int, Row]:
    """Organisation and country of each member (plain rows: no profile objects, whose
    account, expertise and languages would be loaded for nothing)."""
    ids = {uid for uid in user_ids if uid is not None}
    if not ids:
        return {}
    return {row.user_id: row for row in db.session.execute(select(
        Profile.user_id, Profile.organisation, Profile.country).where(Profile.user_id.in_(ids)))}


def _party(user_id: int | None, profiles: dict[int, Row], organisation="", country=None):
    profile = profiles.get(user_id) if user_id else None
    if profile is not None:
        return Party(user_id, profile.organisation, profile.country)
    return Party(user_id, organisation, country)


def raw_flags(reviewer: Party, nominee: Party, nominator: Party) -> list[tuple[str, str]]:
    """Why a reviewer is likely in conflict, as (tie, whom) pairs; empty when not.

    Kept untranslated: most pairs have no flag, and translation is the costly part.
    """
    flags = []
    if reviewer.user_id == nominee.user_id:
        flags.append(("is", "nominee"))
    if reviewer.user_id == nominator.user_id:
        flags.append(("is", "nominator"))
    organisation = _key(reviewer.organisation)
    for whom, other in (("nominee", nominee), ("nominator", nominator)):
        if organisation and organisation == _key(other.organisation):
            flags.append(("organisation", whom))
        if reviewer.country and reviewer.country == other.country:
            flags.append(("country", whom))
    return list(dict.fromkeys(flags))


#: each flag as a whole phrase: a translator never joins "same country as the" to a noun
FLAG_WORDS = {
    ("is", "nominee"): _l("you are the nominee"),
    ("is", "nominator"): _l("you are the nominator"),
    ("organisation", "nominee"): _l("same organisation as the nominee"),
    ("organisation", "nominator"): _l("same organisation as the nominator"),
    ("country", "nominee"): _l("same country as the nominee"),
    ("country", "nominator"): _l("same country as the nominator"),
}


def describe(flag: tuple[str, str]) -> str:
    """A flag in words: "same country as the nominee"."""
    return str(FLAG_WORDS[flag])


def flags_for(reviewer: Party, nominee: Party, nominator: Party) -> list[str]:
    """Why a reviewer is likely in conflict with a nomination, in words (empty when not)."""
    return [describe(flag) for flag in raw_flags(reviewer, nominee, nominator)]


def states(nominations: list[Nomination], reviewer_ids: Iterable[int]
           ) -> dict[tuple[int, int], ConflictState]:
    """The conflict state of every (nomination id, reviewer id) pair, in three queries."""
    reviewer_ids = list(reviewer_ids)
    if not nominations or not reviewer_ids:
        return {}
    user_ids = {n.nominator_id for n in nominations} | {n.nominee_user_id for n in nominations}
    profiles = _profiles(user_ids | set(reviewer_ids))
    rows = db.session.scalars(select(Conflict).where(
        Conflict.nomination_id.in_([n.id for n in nominations]),
        Conflict.reviewer_id.in_(reviewer_ids)))
    recorded = {(row.nomination_id, row.reviewer_id): row for row in rows}
    result, reviewers = {}, {rid: _party(rid, profiles) for rid in reviewer_ids}
    for nomination in nominations:
        nominee = _party(nomination.nominee_user_id, profiles, nomination.nominee_organisation,
                         nomination.nominee_country)
        nominator = _party(nomination.nominator_id, profiles)
        for reviewer_id in reviewer_ids:
            row = recorded.get((nomination.id, reviewer_id))
            result[(nomination.id, reviewer_id)] = ConflictState(
                declared=bool(row and row.declared), reason=row.reason if row else "",
                raw=raw_flags(reviewers[reviewer_id], nominee, nominator),
                cleared=bool(row and row.cleared_at))
    return result


def state(nomination: Nomination, reviewer_id: int) -> ConflictState:
    """The conflict state of one reviewer on one nomination."""
    return states([nomination], [reviewer_id])[(nomination.id, reviewer_id)]


def conflict_row(nomination: Nomination, reviewer_id: int) -> Conflict:
    """The recorded conflict row of a pair, created (unsaved) if there is none."""
    row = db.session.scalar(select(Conflict).where(Conflict.nomination_id == nomination.id,
                                                   Conflict.reviewer_id == reviewer_id))
    if row is None:
        row = Conflict(nomination_id=nomination.id, reviewer_id=reviewer_id, declared=False,
                       reason="")
        db.session.add(row)
    return row

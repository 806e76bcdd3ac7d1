"""Reading cohorts: find one by name or slug, list them with their sizes, page their members."""

import re
import unicodedata

from sqlalchemy import Select, func, select

from ..auth.models import User
from ..extensions import db
from .models import TEST_GROUP_SLUG, Cohort, CohortMember

ALL = "all"  # the target "every member" in bulk sending; never a cohort's slug
TRUE_VALUES = {"yes", "y", "true", "1"}
FALSE_VALUES = {"no", "n", "false", "0"}


def slugify(name: str) -> str:
    """A URL-safe, lower-case ASCII form of a name ("Afrique de l'Ouest": afrique-de-l-ouest)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64]


def find_cohort(name_or_slug: str) -> Cohort | None:
    """The cohort with this slug or (case-insensitively) this name."""
    wanted = " ".join((name_or_slug or "").split())
    if not wanted:
        return None
    return db.session.scalar(select(Cohort).where(
        (Cohort.slug == wanted.lower()) | (func.lower(Cohort.name) == wanted.lower())))


def test_group() -> Cohort | None:
    """The test-group cohort, if it exists yet."""
    return db.session.scalar(select(Cohort).where(Cohort.slug == TEST_GROUP_SLUG))


def with_sizes() -> list[tuple[Cohort, int]]:
    """Every cohort with its number of members, test group first, then by name (one query)."""
    size = func.count(CohortMember.user_id)
    query = (select(Cohort, size).outerjoin(CohortMember, CohortMember.cohort_id == Cohort.id)
             .group_by(Cohort.id)
             .order_by((Cohort.slug != TEST_GROUP_SLUG), Cohort.name))
    return [(cohort, count) for cohort, count in db.session.execute(query)]


def members_query(cohort: Cohort) -> Select:
    """The cohort's accounts, by name, ready to paginate."""
    return (select(User).join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(User.display_name, User.id))


def member_ids(cohort: Cohort) -> list[int]:
    """The ids of the cohort's accounts, in id order."""
    return list(db.session.scalars(select(CohortMember.user_id)
                                   .where(CohortMember.cohort_id == cohort.id)
                                   .order_by(CohortMember.user_id)))


def flag_value(raw: str) -> bool | None:
    """The import's ``test_group`` cell: True (yes/y/true/1), False (no/n/false/0) or None."""
    value = (raw or "").strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    return None

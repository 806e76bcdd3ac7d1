"""The sections of an export this identity layer knows: account, profile, designations."""

from sqlalchemy import select

from ..extensions import db
from ..members import designations
from ..members.models import Profile
from ..members.service import PHOTO_AREA


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def account(user) -> tuple[dict, list]:
    """The account: email, name, roles, dates."""
    return {"email": user.email, "display_name": user.display_name,
            "status": user.status.value, "roles": sorted(user.role_names),
            "created_at": _when(user.created_at),
            "last_login_at": _when(user.last_login_at)}, []


def profile(user) -> tuple[dict, list]:
    """The profile's fields and its photo."""
    found = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    if found is None:
        return {}, []
    fields = ("title", "organisation", "organisation_type", "country", "region", "timezone",
              "locale", "bio", "phone", "email_visibility", "phone_visibility")
    data = {name: getattr(found, name) for name in fields}
    data.update(expertise=[term.name for term in found.expertise], languages=found.languages)
    photo = [(PHOTO_AREA, found.photo, "photo.jpg")] if found.photo else []
    return data, photo


def member_designations(user) -> tuple[list, list]:
    """Designations recorded for the member, and their requests."""
    held = [{"kind": d.kind, "country": d.country, "starts_on": d.starts_on.isoformat(),
             "ends_on": d.ends_on.isoformat() if d.ends_on else None}
            for d in designations.of_member(user.id)]
    asked = [{"kind": r.kind, "country": r.country, "justification": r.justification,
              "status": r.status, "created_at": _when(r.created_at)}
             for r in designations.requests_of(user.id)]
    return {"recorded": held, "requests": asked}, []


SECTIONS = {"account": account, "profile": profile, "designations": member_designations}

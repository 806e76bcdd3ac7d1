"""Event and registration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..members.countries import REGION_LABELS, REGIONS
from ..members.forms import CheckboxesField
from .models import AUDIENCES, KINDS, REGISTRATION_MODES
from .service import EventFields, parse_sessions, sessions_text

KIND_LABELS = {"webinar": _l("Webinar"), "workshop": _l("Workshop"), "meeting": _l("Meeting"),
               "conference": _l("Conference")}
AUDIENCE_LABELS = {"ocp": _l("Official contact points (OCPs)"),
                   "nfp": _l("National focal points (NFPs)"),
                   "dna": _l("Designated national authorities (DNAs)"),
                   "other": _l("Other stakeholders")}
REGISTRATION_LABELS = {"none": _l("No registration"), "open": _l("Members register"),
                       "ocp": _l("Through official contact points (an OCP endorses)")}
STATUS_LABELS = {"pending": _l("Awaiting endorsement"), "confirmed": _l("Confirmed"),
                 "waitlisted": _l("Waiting list"), "declined": _l("Declined"),
                 "cancelled": _l("Cancelled")}


class EventForm(FlaskForm):
    """Create or edit an event; sessions one per line on the event's clocks."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Type"), choices=[(k, KIND_LABELS[k]) for k in KINDS])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                           default="UTC")
    sessions = TextAreaField(_l("Sessions"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20_000)])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    online_url = StringField(_l("Online link"), validators=[Optional(), Length(max=500)])
    audience = CheckboxesField(_l("Target audience"),
                               choices=[(a, AUDIENCE_LABELS[a]) for a in AUDIENCES])
    audience_note = StringField(_l("Audience, in words"), validators=[Optional(),
                                                                     Length(max=200)])
    region = SelectField(_l("Region"), choices=[("", _l("— the whole network —")),
                                               *((r, REGION_LABELS[r]) for r in REGIONS)],
                         validate_choice=False)  # the service checks it, with a clear message
    group_id = SelectField(_l("Thematic group"), choices=[], validate_choice=False)
    registration = SelectField(_l("Registration"),
                               choices=[(m, REGISTRATION_LABELS[m]) for m in REGISTRATION_MODES])
    capacity = IntegerField(_l("Places"), validators=[Optional(), NumberRange(min=1)])
    materials = SelectMultipleField(_l("Materials"), coerce=int, choices=[],
                                    validate_choice=False)  # the service checks each one


class RegisterForm(FlaskForm):
    """A member's registration, with an optional note for the organiser."""

    note = TextAreaField(_l("Note for the organiser (optional)"),
                         validators=[Optional(), Length(max=500)])


def group_choices(groups, allow_none: bool) -> list[tuple[str, str]]:
    """The group select's options (network-wide only for administrators)."""
    head = [("", str(_l("— the whole network —")))] if allow_none else []
    return head + [(str(g.id), g.name) for g in groups]


def fields_from(form: EventForm) -> EventFields:
    """The service's ``EventFields`` from a submitted form (ValidationError on bad sessions)."""
    return EventFields(
        title=form.title.data or "", kind=form.kind.data,
        timezone=(form.timezone.data or "").strip(),
        sessions=parse_sessions(form.sessions.data or ""),
        description=form.description.data or "", venue=form.venue.data or "",
        online_url=(form.online_url.data or "").strip(), audience=list(form.audience.data or []),
        audience_note=form.audience_note.data or "", region=form.region.data or None,
        group_id=int(form.group_id.data) if (form.group_id.data or "").isdigit() else None,
        registration=form.registration.data, capacity=form.capacity.data,
        material_ids=list(form.materials.data or []))


def form_values(event) -> dict:
    """An event's values in the shape ``EventForm(data=…)`` expects."""
    return {
        "title": event.title, "kind": event.kind, "timezone": event.timezone,
        "sessions": sessions_text(event), "description": event.description,
        "venue": event.venue, "online_url": event.online_url,
        "audience": event.audience_codes, "audience_note": event.audience_note,
        "region": event.region or "", "group_id": str(event.group_id or ""),
        "registration": event.registration, "capacity": event.capacity,
        "materials": [m.document_id for m in event.materials],
    }

"""Importing the network's contact list: create or update members, line by line.

The list is what real lists are: a BOM, `,` or `;` separators, quoted fields with
commas and line breaks, the same person twice with different case and spaces,
invalid or missing emails, missing countries. Every line gets an outcome with
its line number; good lines import even when others are refused. Passwords and
account status are never touched; new accounts are "invited".
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit
from ..auth import service as accounts
from ..auth.models import User, UserStatus
from ..extensions import db
from ..imports import textfiles
from . import countries, designations, indexing
from .models import DESIGNATION_KINDS, REQUEST_PENDING, ExpertiseArea, Profile
from .vocabulary import convention_role_for, language_for, organisation_type_for

BATCH = 200
REQUIRED_COLUMNS = {"name", "email"}

#: Sent with the file's ``records`` when an import starts, so areas above members can
#: read columns of their own (onboarding: ``test_group``) without members knowing them.
#: A receiver may return a line hook ``hook(user, row, notes) -> bool``, called for
#: every imported line; it adds to the line's notes and returns True if it changed
#: something (the line is then "updated" rather than "unchanged").
import_started = Namespace().signal("members-import-started")


@dataclass
class LineResult:
    """What happened to one line of the file."""

    line: int
    email: str
    outcome: str  # created, updated, unchanged, skipped
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        notes = f" — {'; '.join(self.notes)}" if self.notes else ""
        return f"line {self.line}: {self.outcome} {self.email or '(no email)'}{notes}"


@dataclass
class ImportReport:
    """Every line's outcome, and the totals."""

    lines: list[LineResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def totals(self) -> Counter:
        """How many lines had each outcome."""
        return Counter(result.outcome for result in self.lines)

    def summary(self) -> str:
        """One line: created, updated, unchanged, skipped."""
        t = self.totals
        prefix = "Dry run, nothing saved: " if self.dry_run else ""
        return (f"{prefix}{t['created']} created, {t['updated']} updated, "
                f"{t['unchanged']} unchanged, {t['skipped']} skipped")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no header, missing columns, not text)."""


def read_file(data: bytes) -> str:
    """The text of an uploaded or given file: UTF-8 or UTF-16, else ``Refused`` saying why."""
    return textfiles.decode(data)


def read_records(text: str) -> list[tuple[int, dict[str, str]]]:
    """(first line number, row) for each record; headers lower-cased, BOM removed."""
    text = text.removeprefix("\ufeff")
    dialect = _sniff(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if not reader.fieldnames:
        raise ImportFileError("the file is empty")
    reader.fieldnames = [_column(name) for name in reader.fieldnames]
    missing = REQUIRED_COLUMNS - set(reader.fieldnames)
    if missing:
        raise ImportFileError(f"missing column(s): {', '.join(sorted(missing))}")
    records, previous_end = [], reader.line_num
    try:
        for row in reader:
            records.append((previous_end + 1,
                            {k: (v or "").strip() for k, v in row.items() if k}))
            previous_end = reader.line_num
    except csv.Error as exc:  # a field over the csv module's limit (131,072 characters)
        raise ImportFileError(f"line {previous_end + 1}: {exc}") from exc
    return records


def _sniff(text: str):
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _column(name: str | None) -> str:
    return "_".join((name or "").strip().lower().split())


def import_members(text: str, dry_run: bool = False, actor=None, progress=None,
                   options: dict | None = None, commit: bool = True) -> ImportReport:
    """Create or update a member for each good line; report every line.

    The whole file is one transaction, committed at the end (unless ``commit`` is
    False: the caller commits, with its own rows): an import that fails half-way
    changes nothing. ``options`` go to the receivers of ``import_started``
    (onboarding: ``cohort``).
    """
    records = read_records(text)
    report = ImportReport(dry_run=dry_run)
    context = _Context.load(records)
    context.line_hooks = [hook for _, hook in import_started.send(records, options=options or {})
                          if hook]
    with db.session.no_autoflush:  # one flush per batch, not one per query
        for number, (line, row) in enumerate(records, start=1):
            report.lines.append(_import_line(context, line, row))
            if progress:
                progress(1)
            if number % BATCH == 0:
                _end_batch(context, actor)
    _end_batch(context, actor)
    _finish(report, actor, commit)
    return report


def _end_batch(context: "_Context", actor) -> None:
    """Flush the batch, announce its new accounts, queue its index updates."""
    db.session.flush()
    for user in context.created:
        accounts.announce_created(user, actor)
    for user in context.changed:
        indexing.enqueue_profile(user.id)
    context.created, context.changed = [], []


def _finish(report: ImportReport, actor, commit: bool) -> None:
    if report.dry_run:
        db.session.rollback()
        return
    audit.record(actor, "members.import", None, **dict(report.totals))
    if commit:
        db.session.commit()


@dataclass
class _Context:
    """What the import looks up once rather than per line."""

    users: dict[str, User]
    profiles: dict[int, Profile]
    expertise: dict[str, ExpertiseArea]
    seen: dict[str, int] = field(default_factory=dict)
    line_hooks: list = field(default_factory=list)
    created: list[User] = field(default_factory=list)
    changed: list[User] = field(default_factory=list)

    @classmethod
    def load(cls, records) -> "_Context":
        """Everything the file refers to that exists already, in four queries."""
        emails = {accounts.normalize_email(row.get("email", "")) for _, row in records}
        users = {u.email: u for u in db.session.scalars(
            select(User).where(User.email.in_(emails - {""})))}
        profiles = db.session.scalars(
            select(Profile).where(Profile.user_id.in_([u.id for u in users.values()]))
            .options(selectinload(Profile.expertise), selectinload(Profile.language_rows)))
        terms = db.session.scalars(select(ExpertiseArea))
        return cls(users, {p.user_id: p for p in profiles},
                   {t.name.casefold(): t for t in terms})

    def profile_of(self, user: User) -> Profile:
        """The user's profile: preloaded, or new."""
        profile = self.profiles.get(user.id) if user.id else None
        if profile is None:
            profile = Profile(user=user, title="", organisation="", bio="", bio_html="",
                              phone="", email_visibility="members", phone_visibility="members")
            db.session.add(profile)
            if user.id:
                self.profiles[user.id] = profile
        return profile


def _import_line(context: _Context, line: int, row: dict[str, str]) -> LineResult:
    """Create or update the line's member; its outcome and notes."""
    email, refusal = _checked_line(context, line, row)
    if refusal is not None:
        return refusal
    result = LineResult(line, email, "unchanged")
    user = context.users.get(email)
    if user is None:
        user = accounts.new_user(email, row["name"], UserStatus.INVITED)
        context.users[email] = user
        context.created.append(user)
        result.outcome = "created"
    changed = _apply_row(context, context.profile_of(user), row, result.notes)
    for hook in context.line_hooks:
        changed = hook(user, row, result.notes) or changed
    if changed and result.outcome == "unchanged":
        result.outcome = "updated"
        context.changed.append(user)
    return result


def _checked_line(context: _Context, line: int, row: dict[str, str]):
    """(normalised email, None) for a line that can import, else (raw email, its refusal)."""
    raw_email = row.get("email", "")
    try:
        email = _checked_email(raw_email)
    except ValueError as exc:
        return raw_email, LineResult(line, raw_email, "skipped", [str(exc)])
    if email in context.seen:
        return email, LineResult(line, email, "skipped",
                                 [f"duplicate of line {context.seen[email]}"])
    context.seen[email] = line
    if not row.get("name"):
        return email, LineResult(line, email, "skipped", ["no name"])
    return email, None


def checking_context() -> _Context:
    """A context for ``line_problems``: the vocabulary, and no account (nothing is saved)."""
    terms = db.session.scalars(select(ExpertiseArea))
    return _Context(users={}, profiles={}, expertise={t.name.casefold(): t for t in terms})


def line_problems(context: _Context, line: int, row: dict[str, str]) -> LineResult:
    """What the import would say of a line, saving nothing (the web preview): its refusal,
    or the notes of its values ("unknown country…") with the outcome "note"."""
    email, refusal = _checked_line(context, line, row)
    if refusal is not None:
        return refusal
    result = LineResult(line, email, "note")
    _wanted_values(context, row, result.notes)
    return result


def _checked_email(raw: str) -> str:
    if not raw.strip():
        raise ValueError("no email address")
    try:
        valid = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"invalid email address {raw.strip()!r}: {exc}") from exc
    return accounts.normalize_email(valid.normalized)


def _apply_row(context: _Context, profile, row: dict[str, str], notes: list[str]) -> bool:
    """Copy the row onto the profile; True if anything changed."""
    wanted = _wanted_values(context, row, notes)
    before = _snapshot(profile)
    profile.user.display_name = " ".join(row["name"].split())
    for name in ("organisation", "organisation_type", "country", "region"):
        setattr(profile, name, wanted[name])
    asked = _role(profile, wanted["convention_role"], notes)
    profile.languages = wanted["languages"]
    profile.expertise = wanted["expertise"]
    return _snapshot(profile) != before or asked


def _role(profile, role: str | None, notes: list[str]) -> bool:
    """"Expert" goes on the profile; an OCP, NFP or DNA becomes a pending request for the
    Secretariat to verify (a list is not a designation). True if a request was made."""
    if role not in DESIGNATION_KINDS:
        if role is not None:
            profile.convention_role = role
        return False
    asked = designations.requests_of(profile.user_id) if profile.user_id else []
    if any(r.kind == role and r.country == profile.country and r.status == REQUEST_PENDING
           for r in asked) or designations.is_current(profile.user, role, profile.country):
        return False
    request = designations.pending_request(None, role, profile.country,
                                           "From the contact list import.")
    request.user = profile.user
    notes.append(f"role {role.upper()} awaits the Secretariat's verification")
    return True


def _snapshot(profile) -> tuple:
    return (profile.user.display_name, profile.organisation, profile.organisation_type,
            profile.country, profile.region, profile.convention_role,
            tuple(sorted(profile.languages)), tuple(sorted(t.name for t in profile.expertise)))


def _wanted_values(context: _Context, row: dict[str, str], notes: list[str]) -> dict:
    country = _country(row.get("country", ""), notes)
    return {
        "organisation": " ".join(row.get("organisation", "").split())[:200],
        "organisation_type": _looked_up(row.get("organisation_type", ""), organisation_type_for,
                                        "organisation type", notes),
        "country": country,
        "region": countries.REGION_OF.get(country) or _region(row.get("region", ""), notes),
        "convention_role": _looked_up(row.get("role", ""), convention_role_for, "role", notes),
        "languages": [code for code in (_looked_up(part, language_for, "language", notes)
                                        for part in _split(row.get("languages", ""))) if code],
        "expertise": _expertise(context, row.get("expertise", ""), notes),
    }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("|", ";").split(";") if part.strip()]


def _looked_up(value: str, lookup, label: str, notes: list[str]):
    if not value:
        return None
    found = lookup(value)
    if found is None:
        notes.append(f"unknown {label} {value!r} ignored")
    return found


def _country(value: str, notes: list[str]) -> str | None:
    if not value:
        notes.append("no country")
        return None
    code = countries.code_for(value)
    if code is None or code not in countries.REGION_OF:
        notes.append(f"unknown country {value!r} ignored")
        return None
    return code


def _region(value: str, notes: list[str]) -> str | None:
    if not value:
        return None
    match = next((r for r in countries.REGIONS if r.casefold() == value.casefold()), None)
    if match is None:
        notes.append(f"unknown region {value!r} ignored")
    return match


def _expertise(context: _Context, value: str, notes: list[str]) -> list[ExpertiseArea]:
    terms = []
    for part in _split(value):
        term = context.expertise.get(part.casefold())
        if term is None:
            notes.append(f"unknown expertise {part!r} ignored")
        elif term not in terms:
            terms.append(term)
    return terms

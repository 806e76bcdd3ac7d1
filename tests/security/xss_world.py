"""Write every XSS vector through every field a member (or an administrator) can write.

Each ``*_world`` function writes the corpus through one area's services, one object
per vector (so Markdown vectors start their own document, as a member would type
them), and returns the pages where that text is shown, as ``(user, path)`` pairs.
Values are cut to the column's length: what a form would refuse as too long is
never stored, and a cut vector is still a vector.
"""

import io
from datetime import datetime, timedelta

from PIL import Image

from pen.auth.models import User
from pen.auth.system import SYSTEM
from pen.awards import cycles, nominating, reviewing
from pen.awards.uploads import Upload as AwardUpload
from pen.events import service as events
from pen.events.service import EventFields, SessionTimes
from pen.extensions import db
from pen.forums import service as forums
from pen.forums.posting import Upload
from pen.groups import meetings, workplan
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.library import samples
from pen.library import service as library
from pen.members import service as members
from pen.types import utcnow

from .xss_vectors import ATTRIBUTE_BREAKING, POLYGLOTS

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MARKER = "xssmarker"  # a word every written text carries, so searches find them all


def in_sample(number: int, vector: str) -> bool:
    """Whether a form page is checked for this vector too: forms print every value through
    the same escaping, so a fifth of the corpus and every quote-breaking vector suffice."""
    return number % 5 == 0 or vector in ATTRIBUTE_BREAKING or vector in POLYGLOTS


def storable(text: str) -> str:
    """``text`` as the site can receive it: a NUL byte is refused with a 400 (no database
    column holds one), so it arrives as U+FFFD, as an HTML parser reads it anyway."""
    return text.replace("\x00", "\ufffd")


def fit(text: str, limit: int, minimum: int = 3) -> str:
    """``text`` cut to ``limit`` characters and padded to ``minimum`` (titles need 3)."""
    return storable(text)[:limit].ljust(minimum, ".")


def file_name(text: str, limit: int, extension: str) -> str:
    """``text`` as a file name the site accepts: no folders (``/``, ``\\``) or control
    characters (refused with a message), then ``extension``."""
    name = "".join("_" if c in "/\\" or ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)
    return fit(name, limit - len(extension)) + extension


def with_marker(text: str) -> str:
    """Markdown ``text`` followed by a paragraph with the search marker."""
    return f"{storable(text)}\n\n{MARKER}"


def png(seed: int) -> bytes:
    """A small PNG whose bytes differ by ``seed`` (duplicate checks compare contents)."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (seed % 256, seed // 256 % 256, 7)).save(out, "PNG")
    return out.getvalue()


def forum_world(vectors, author: User, replier: User, with_files: bool = True) -> list:
    """A category, and per vector a topic (title, body, an attachment's name) and a reply
    by another member, which notifies the author; sampled replies are edited again."""
    category = forums.create_category(SYSTEM, fit(vectors[0], 120), with_marker(vectors[0]))
    pages = [(author, "/forums/"), (author, f"/forums/c/{category.slug}"),
             (author, f"/forums/c/{category.slug}/feed.atom"), (author, "/notifications/"),
             (author, "/"), (author, "/activity")]
    for number, vector in enumerate(vectors):
        uploads = [Upload(file_name(vector, 120, ".png"), png(number))] if with_files else []
        topic = forums.create_topic(author, category, fit(vector, 200), with_marker(vector),
                                    uploads=uploads)
        reply = forums.reply(replier, topic, with_marker(vector))
        pages.append((author, f"/forums/t/{topic.id}"))
        if in_sample(number, vector):
            forums.edit_post(replier, reply, with_marker(f"{vector}\n\n{vector}"))
            pages += [(author, f"/forums/p/{reply.id}/history"),
                      (author, f"/forums/p/{reply.id - 1}/edit"),  # the opening post: title
                      (replier, f"/forums/p/{reply.id}/edit")]
    return pages


def member_world(vectors, admin: User, make_user) -> list:
    """Per vector an expertise term and a member whose every free-text field holds it."""
    pages = [(admin, "/members/"), (admin, "/members/expertise")]
    for number, vector in enumerate(vectors):
        term = members.add_expertise(admin, fit(f"{number} {vector}", 120))
        user = make_user(email=f"xss{number}@example.org", name=fit(vector, 200))
        profile = members.profile_of(user)
        members.update_profile(user, profile, members.ProfileChanges(
            display_name=fit(vector, 200), title=fit(vector, 120),
            organisation=fit(vector, 200), bio=with_marker(vector), phone=fit(vector, 40),
            expertise_ids=[term.id], country="PA"))
        pages.append((admin, f"/members/{user.id}"))
        if in_sample(number, vector):
            pages += [(admin, f"/members/{user.id}/edit"), (admin, f"/admin/users/{user.id}")]
    return [*pages, (admin, "/admin/users"), (admin, "/members/?country=PA")]


def library_world(vectors, uploader: User, admin: User) -> list:
    """Per vector a document: title, description, authors, a topic (tag), file name and
    version note."""
    pages = [(uploader, "/library/")]
    for number, vector in enumerate(vectors):
        topic = members.add_expertise(admin, fit(f"t{number} {vector}", 120))  # a tag
        meta = library.Metadata(title=fit(vector, 300), description=with_marker(vector),
                                authors=fit(vector, 300), doc_type="inventory", language="en",
                                year=2010, topic_ids=[topic.id])
        name = file_name(vector, 255, ".pdf")
        document = library.upload(uploader, meta, name, io.BytesIO(
            samples.make_pdf([f"Inventory {number} {MARKER}"])))
        library.add_version(uploader, document, name, io.BytesIO(
            samples.make_pdf([f"Second {number} {MARKER}"])), note=fit(vector, 300))
        pages.append((uploader, f"/library/{document.id}"))
        if in_sample(number, vector):
            pages.append((uploader, f"/library/{document.id}/edit"))
    return pages


def group_world(vectors, admin: User, coordinator: User) -> list:
    """Per vector a group: name, description, a work-plan item and a meeting."""
    pages = [(coordinator, "/groups/"), (coordinator, "/events/"),
             (coordinator, "/events/list")]
    start = datetime.now().replace(microsecond=0) + timedelta(days=3)
    for number, vector in enumerate(vectors):
        group = groups.create_group(admin, GroupFields(
            fit(vector, 160), f"xss-{number}", with_marker(vector)), [coordinator])
        activity = workplan.create_activity(coordinator, group, workplan.ActivityFields(
            fit(vector, 200), with_marker(vector)))
        meeting = meetings.create_meeting(coordinator, group, meetings.MeetingFields(
            fit(vector, 200), start, "UTC", place=fit(vector, 200),
            agenda=with_marker(vector)))
        slug = group.slug
        pages += [(coordinator, f"/groups/{slug}"), (coordinator, f"/groups/{slug}/plan"),
                  (coordinator, f"/groups/{slug}/meetings")]
        if in_sample(number, vector):
            pages += [(coordinator, f"/groups/{slug}/members"),
                      (coordinator, f"/groups/{slug}/plan/{activity.id}/edit"),
                      (coordinator, f"/groups/{slug}/meetings/{meeting.id}/edit"),
                      (coordinator, f"/groups/{slug}/edit")]
    return pages


def event_world(vectors, admin: User, member: User) -> list:
    """Per vector an event: title, description, venue and audience note."""
    pages = [(member, "/events/"), (member, "/events/list"), (member, "/")]
    day = (utcnow() + timedelta(days=5)).date()
    start = datetime(day.year, day.month, day.day, 9, 0)
    for number, vector in enumerate(vectors):
        event = events.create_event(admin, EventFields(
            fit(vector, 200), "workshop", "UTC", [SessionTimes(start, start.replace(hour=17))],
            description=with_marker(vector), venue=fit(vector, 200),
            audience_note=fit(vector, 200), registration="open"))
        pages.append((member, f"/events/{event.id}"))
        if in_sample(number, vector):
            pages += [(admin, f"/events/{event.id}/edit"),
                      (admin, f"/events/{event.id}/registrations")]
    return pages


def award_world(vectors, admin: User, nominator: User, reviewer: User,
                conflicted: User | None = None) -> list:
    """A cycle; per vector a nomination of an outsider (every free text, a file name),
    a committee review comment, a discussion message and a conflict reason."""
    now = datetime.now().replace(microsecond=0)
    setup = [vectors[i % len(vectors)] for i in range(5)]  # the cycle's own texts
    cycle = cycles.create_cycle(admin, cycles.CycleInput(
        fit(setup[0], 120), with_marker(setup[0]), "UTC", now - timedelta(days=1),
        now + timedelta(days=30)))
    cycles.add_category(admin, cycle, fit(setup[1], 120), with_marker(setup[1]),
                        with_marker(setup[2]))
    text_q = cycles.add_question(admin, cycle, fit(setup[3], 300), "text")
    file_q = cycles.add_question(admin, cycle, "Supporting document", "file")
    cycles.add_criterion(admin, cycle, fit(setup[4], 200), weight=1)
    db.session.refresh(cycle)
    nominations = []
    for vector in vectors:
        nominations.append(nominating.save(nominator, cycle, nominating.NominationInput(
            category_id=cycle.categories[0].id, nominee_kind="person",
            nominee_name=fit(vector, 200), nominee_organisation=fit(vector, 200),
            nominee_country="PA", statement=with_marker(vector),
            answers={_id(text_q): fit(vector, 5000)},
            uploads={_id(file_q): AwardUpload(file_name(vector, 200, ".pdf"), PDF)}), submit=True))
    cycles.open_review(admin, cycle)
    criterion = cycle.criteria[0].id
    pages = [(admin, f"/awards/{cycle.id}"), (admin, f"/awards/{cycle.id}/ranking"),
             (admin, f"/awards/{cycle.id}/decisions"), (admin, f"/awards/{cycle.id}/setup"),
             (reviewer, f"/awards/{cycle.id}"), (nominator, "/awards/"), (admin, "/awards/")]
    for number, (vector, nomination) in enumerate(zip(vectors, nominations, strict=True)):
        reviewing.save_review(reviewer, nomination, {criterion: 3}, fit(with_marker(vector), 9000))
        reviewing.post_discussion(reviewer, nomination, fit(with_marker(vector), 9000))
        if conflicted is not None:
            reviewing.declare_conflict(conflicted, nomination, fit(vector, 500))
        pages += [(reviewer, f"/awards/n/{nomination.id}"), (admin, f"/awards/n/{nomination.id}")]
        if in_sample(number, vector):  # the nominator sees the same texts as the admin
            pages += [(nominator, f"/awards/n/{nomination.id}"),
                      (nominator, f"/awards/n/{nomination.id}/edit")]
    return pages


def _id(question) -> int:
    return question.id

"""A small network with one of everything, for the access matrix and the CSRF walk.

Users of every role and relationship, objects of every visibility. ``build()``
returns a plain dict of ids, tokens and slugs (no ORM objects, so it outlives the
session that made it). A unique secret word sits only in content the ordinary
member may not see: a private group's topic and document, a deleted topic.
"""

import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from pen.applications.models import WAITING, Application
from pen.auth import sessions
from pen.auth.models import User, UserStatus
from pen.auth.system import SYSTEM
from pen.awards import cycles, nominating, reviewing
from pen.awards.models import Nomination
from pen.awards.uploads import Upload as AwardUpload
from pen.events import registration
from pen.events import service as events
from pen.extensions import db
from pen.forums import moderation, tags, watching
from pen.forums import service as forums
from pen.forums.models import Attachment, Post
from pen.forums.posting import Upload as ForumUpload
from pen.groups import meetings, membership, workplan
from pen.groups import service as groups
from pen.imports.models import ImportJob
from pen.library import extraction, samples
from pen.library import service as library
from pen.members import designations
from pen.members.models import ExpertiseArea
from pen.members.service import profile_of
from pen.messages import reports as message_reports
from pen.messages import service as messages
from pen.messages.models import MessageAttachment
from pen.messages.writing import Upload as MessageUpload
from pen.notifications import feedkeys
from pen.notifications import service as notes
from pen.notifications.models import Notification
from pen.onboarding import sending
from pen.onboarding import service as onboarding
from pen.search import synonyms

#: the word only unseen content holds; "did you mean" must never propose it
SECRET = "zanthoxylum"
#: the word only the committee's review and discussion hold (not for the conflicted)
COMMITTEE_WORD = "quillwort"
PDF = samples.make_pdf(["A network guide to PCB inventories and transformer oil."])
EMAILS = {
    "admin": "admin@example.org", "author": "author@example.org", "member": "member@example.org",
    "nominator": "nominator@example.org", "committee": "committee@example.org",
    "conflicted": "conflicted@example.org", "moderator": "moderator@example.org",
    "outsider": "outsider@example.org", "invited": "invited@example.org",
    "invitee": "invitee@example.org", "requester": "requester@example.org",
}
ROLES = {"admin": ("admin",), "committee": ("committee",), "conflicted": ("committee",),
         "moderator": ("moderator",)}


def build(make_user) -> dict:
    """Create the whole world; returns its ids."""
    users = {key: make_user(email=email, name=key.title(), roles=ROLES.get(key, ()),
                            status=UserStatus.INVITED if key == "invited" else UserStatus.ACTIVE)
             for key, email in EMAILS.items()}
    ids = {f"user_{key}": user.id for key, user in users.items()}
    _countries(users)
    for stage in (_pilot, _groups, _forums, _library, _awards, _events, _messages,
                  _notes_and_keys, _applications):
        users = {key: db.session.get(User, ids[f"user_{key}"]) for key in EMAILS}
        ids |= stage(users, ids)
    db.session.commit()
    return ids


def _countries(users) -> None:
    """The member is Viet Nam's OCP (endorses registrations); the nominee is elsewhere."""
    for key, country in (("member", "VN"), ("nominator", "PA"), ("committee", "NO"),
                         ("conflicted", "CH"), ("author", "VN")):
        profile = profile_of(users[key])
        profile.country = country
    db.session.commit()
    designations.record(SYSTEM, users["member"], "ocp", "VN", date(2010, 1, 1))


def _pilot(users, ids) -> dict:
    """Pilot mode: everyone but the outsider is in the test group."""
    admin = users["admin"]
    onboarding.set_site_mode(admin, "pilot")
    test_group = onboarding.ensure_test_group()
    inside = [u.email for k, u in users.items() if k not in ("outsider", "invited")]
    onboarding.add_members(admin, test_group, "\n".join(inside))
    cohort = onboarding.create_cohort(admin, "Latin America")
    invitation = sending.issue(None, users["invited"], admin, datetime.now(UTC))
    term = ExpertiseArea(name="PCB inventories")
    db.session.add(term)
    db.session.commit()
    return {"cohort": cohort.id, "invitation": invitation.id, "term": term.id}


def _groups(users, ids) -> dict:
    """Group A (listed; the member is in it) and group B (unlisted; the member is not)."""
    admin, author = users["admin"], users["author"]
    a = groups.create_group(admin, groups.GroupFields("Group Alpha", "group-a", "", "listed",
                                                      "request"), [author])
    b = groups.create_group(admin, groups.GroupFields("Group Beta", "group-b", SECRET,
                                                      "unlisted", "request"), [author])
    db.session.add(membership.GroupMembership(group_id=a.id, user_id=users["member"].id))
    db.session.commit()
    invitation = membership.invite(author, b, users["invitee"])
    join_request = membership.request_to_join(users["requester"], a)
    meeting = meetings.create_meeting(author, b, meetings.MeetingFields(
        f"Beta meeting {SECRET}", datetime(2030, 5, 4, 10, 0), place="Geneva"))
    activity = workplan.create_activity(author, b, workplan.ActivityFields(f"Beta {SECRET}"))
    return {"group_a": a.id, "group_b": b.id, "group_invitation": invitation.id,
            "join_request": join_request.id, "meeting_b": meeting.id, "activity_b": activity.id}


def _forums(users, ids) -> dict:
    """Network, group A, group B and deleted topics; hidden, own and reported posts."""
    author, member, moderator = users["author"], users["member"], users["moderator"]
    category = forums.create_category(SYSTEM, "General", "Everything else.")
    for key, mode in (("member", "digest"), ("nominator", "immediate"), ("moderator", "digest")):
        watching.set_category_level(users[key], category, "watching")  # notified of all
        notes.set_email_mode(users[key], mode)
    net = forums.create_topic(author, category, "Transformer oil testing", "Which kits work?")
    topic_a = forums.create_topic(author, category, "Alpha plans", "Plans.",
                                  group_id=ids["group_a"])
    topic_b = forums.create_topic(
        author, category, f"Beta {SECRET} plans", f"The {SECRET} inventory.",
        uploads=[ForumUpload("beta.pdf", PDF)], group_id=ids["group_b"])
    gone = forums.create_topic(author, category, f"Old {SECRET} topic", f"{SECRET} removed.")
    forums.delete_post(author, _first(gone))
    hidden = forums.reply(author, net, f"A reply the moderator hid: {SECRET}.")
    moderation.set_hidden(moderator, hidden, True, "off topic")
    own = forums.reply(member, net, "The member's own reply.",
                       uploads=[ForumUpload("net.pdf", PDF)])
    forums.edit_post(author, _first(net), "Which test kits work?")
    report = moderation.report(member, _first(net), "spam")
    attachments = {a.post_id: a for a in db.session.scalars(select(Attachment))}
    tag = tags.create(moderator, "Oil")
    for tagged in (net, topic_b, gone):
        tags.set_for_topic(moderator, tagged, [tag.id])
    return {"category": category.id, "category_slug": category.slug, "topic_net": net.id,
            "tag_slug": tag.slug, "tag_id": tag.id,
            "topic_a": topic_a.id, "topic_b": topic_b.id, "topic_deleted": gone.id,
            "post_net": _first(net).id, "post_b": _first(topic_b).id,
            "post_deleted": _first(gone).id, "post_hidden": hidden.id, "post_own": own.id,
            "report": report.id, "attachment_b": _attachment(attachments[_first(topic_b).id]),
            "attachment_net": _attachment(attachments[own.id])}


def _first(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id, Post.number == 1))


def _attachment(found: Attachment) -> dict:
    return {"attachment_id": found.id, "name": found.filename}


def _document(actor, title, data=PDF, name="doc.pdf", **meta):
    values = {"title": title, "doc_type": "inventory", "language": "en", "year": 2010} | meta
    return library.upload(actor, library.Metadata(**values), name, io.BytesIO(data))


def _library(users, ids) -> dict:
    """Network, group B, administrators-only and failed-extraction documents."""
    author, admin = users["author"], users["admin"]
    net = _document(author, "Network guide to inventories")
    private = _document(author, f"Beta {SECRET} report", name=f"{SECRET}.pdf",
                        data=samples.make_pdf([f"A network guide to PCB inventories, {SECRET}."]),
                        access="group", group_id=ids["group_b"])
    admins = _document(admin, f"Secretariat {SECRET} memo", access="admins",
                       data=samples.make_pdf([f"Admins {SECRET} only."]))
    failed = _document(author, "Unreadable report", data=samples.make_pdf(["Unreadable."]))
    while extraction.run_pending():
        pass
    for version in failed.versions:  # as extraction leaves a file it could not read
        version.extraction, version.extraction_error = "failed", "the PDF is encrypted"
    job = ImportJob(kind="members", status="done", filename="list.csv", stored_name="gone.csv",
                    total=1, created_by_id=admin.id, totals_json='{"created": 1}',
                    report_json='[{"line": 2, "item": "a@example.org", "outcome": "created", '
                                '"detail": ""}]')
    db.session.add(job)
    db.session.commit()
    synonym = synonyms.save(admin, "PCB, ПХБ")
    return {"doc_net": net.id, "doc_b": private.id, "doc_admins": admins.id,
            "doc_failed": failed.id, "version_failed": failed.versions[0].id,
            "import_job": job.id, "synonym": synonym.id}


def _cycle(admin, name, opens: datetime, closes: datetime):
    cycle = cycles.create_cycle(admin, cycles.CycleInput(
        name=name, description="The call.", time_zone="UTC",
        opens_local=opens.replace(tzinfo=None, microsecond=0, second=0),
        closes_local=closes.replace(tzinfo=None, microsecond=0, second=0)))
    cycles.add_category(admin, cycle, "PCB inventories", allow_self=True)
    cycles.add_question(admin, cycle, "Supporting document", "file")
    cycles.add_criterion(admin, cycle, "Impact", weight=1)
    return cycle


def _awards(users, ids) -> dict:
    """A running cycle under review with draft, submitted and others' nominations; a
    cycle whose call has not opened; one announced."""
    admin, nominator = users["admin"], users["nominator"]
    now = datetime.now(UTC)
    live = _cycle(admin, "Awards live", now - timedelta(days=10), now + timedelta(days=30))
    future = _cycle(admin, "Awards future", now + timedelta(days=30), now + timedelta(days=60))
    cycles.open_review(admin, live)
    category, question = live.categories[0].id, live.questions[0].id

    def entry(name, **extra):
        return nominating.NominationInput(
            category_id=category, nominee_kind="person", nominee_name=name,
            nominee_organisation="ETESA", nominee_country="PA",
            statement="Led the national inventory.", **extra)

    upload = {question: AwardUpload("dossier.pdf", PDF)}
    draft = nominating.save(nominator, live, entry("Draft nominee"))
    sub = nominating.save(nominator, live, entry("Ana González", uploads=upload), submit=True)
    other = nominating.save(users["author"], live, entry("Kofi Mensah", uploads=dict(upload)),
                            submit=True)
    reviewing.declare_conflict(users["conflicted"], sub, "We co-wrote a report")
    reviewing.save_review(users["committee"], sub, {live.criteria[0].id: 4},
                          f"Strong {COMMITTEE_WORD} case")
    reviewing.post_discussion(users["committee"], sub, f"Shall we {COMMITTEE_WORD}?")
    document = db.session.scalar(select(Nomination).where(Nomination.id == sub.id)).documents[0]
    other_document = other.documents[0]
    return {"cycle_live": live.id, "cycle_future": future.id, "nomination_draft": draft.id,
            "nomination_sub": sub.id, "nomination_other": other.id,
            "award_doc": document.id, "award_doc_other": other_document.id,
            "award_category": category, "award_question": question,
            "award_criterion": live.criteria[0].id}


def _events(users, ids) -> dict:
    """A network event (registration through the OCP) and a group B event."""
    admin, author = users["admin"], users["author"]
    day = (datetime.now(UTC) + timedelta(days=20)).replace(hour=9, minute=0, tzinfo=None)
    times = [events.SessionTimes(day, day.replace(hour=17))]
    net = events.create_event(admin, events.EventFields(
        "Regional workshop", "workshop", "UTC", times, registration="ocp"))
    private = events.create_event(author, events.EventFields(
        f"Beta {SECRET} webinar", "webinar", "UTC", times, group_id=ids["group_b"]))
    pending = registration.register(users["author"], net)  # waits for Viet Nam's OCP
    held = designations.of_member(users["member"].id)[0]
    asked = designations.pending_request(users["author"].id, "nfp", "VN", "I am the NFP.")
    sessions.start(author, remember=False, user_agent="Firefox/133.0")
    db.session.commit()
    return {"event_net": net.id, "event_b": private.id, "registration": pending.id,
            "designation": held.id, "designation_request": asked.id,
            "user_session": sessions.of_user(author)[0].id}


def _messages(users, ids) -> dict:
    """A private conversation of the author and the requester (no column of the matrix is
    in it, administrators neither), with a file, reported by the requester."""
    talk = messages.start(users["author"], [users["requester"]], f"Private {SECRET}",
                          f"Between us: {SECRET}.", [MessageUpload("private.pdf", PDF)])
    reply = messages.send(users["requester"], talk, "Noted.")
    first = db.session.scalar(select(MessageAttachment))
    report = message_reports.report(users["author"], reply, "rude")
    return {"conversation": talk.id, "message": reply.id, "msg_report": report.id,
            "message_attachment": {"attachment_id": first.id, "name": first.filename}}


def _notes_and_keys(users, ids) -> dict:
    """The author's notification; a live feed key (member) and a revoked one (author)."""
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == users["author"].id).order_by(Notification.id))
    live = feedkeys.renew(users["member"])
    revoked = feedkeys.renew(users["author"])
    feedkeys.revoke(users["author"])
    outsider = feedkeys.renew(users["outsider"])  # made before the pilot shut them out
    return {"notification_author": note.id, "key_member": live, "key_revoked": revoked,
            "key_outsider": outsider}


def _applications(users, ids) -> dict:
    """An application waiting in the Secretariat's queue (its email confirmed)."""
    found = Application(status=WAITING, name="Applicant", email="applicant@example.org",
                        person_key="applicant|KE", organisation="NEMA",
                        organisation_type="government", country="KE", convention_role="expert",
                        motivation="Inventories.", locale="en",
                        confirmed_at=datetime.now(UTC))
    db.session.add(found)
    db.session.flush()
    return {"application": found.id}

"""Loops that write to many members look up their languages and clocks once, not per member.

Each test runs a loop for one recipient, then for five, counting the SQL statements
it sends (``before_cursor_execute``): the reads of profiles (language, time zone)
must not grow with the number of recipients, nor, where the loop has no
per-member reads of its own, any read at all. Writes do grow (one outbox row per
message). Each recipient still gets mail in their own language, on their own clock.
"""

import re
from contextlib import contextmanager
from datetime import date, timedelta

from babel.support import Translations
from sqlalchemy import event, select

from pen import i18n
from pen.auth.system import SYSTEM
from pen.awards import decisions, nominating
from pen.events import registration
from pen.events import service as events
from pen.extensions import db
from pen.groups import membership
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.mail import MailMessage
from pen.members import designations
from pen.members.service import profile_of
from pen.notifications import delivery
from pen.notifications import service as notes
from tests.awards.conftest import clock, cycle, outside_entry  # noqa: F401
from tests.events.conftest import future_fields
from tests.i18n.test_catalogues import TRANSLATIONS
from tests.i18n.test_mail_language import said

PROFILE_READ = re.compile(r"\b(FROM|JOIN)\s+\"?(profiles|profile_languages)\b")
LOCALES = ["fr", "es", "ru", "zh", "ar"]
ZONES = ["Europe/Paris", "America/Panama", "Asia/Ho_Chi_Minh", "Africa/Dakar", "Asia/Dubai"]
SIZES = (1, 5)


@contextmanager
def statements():
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def reads(sent: list[str]) -> dict[str, int]:
    """How many statements read anything, and how many read profiles."""
    return {"select": sum(1 for s in sent if s.lstrip().upper().startswith("SELECT")),
            "profiles": sum(1 for s in sent if PROFILE_READ.search(s))}


def members(make_user, n: int, prefix: str, **profile) -> list:
    """``n`` members, each with their own interface language and time zone."""
    made = []
    for i in range(n):
        user = make_user(email=f"{prefix}{i}@example.org", name=f"{prefix.title()} {i}")
        chosen = profile_of(user)
        chosen.locale, chosen.timezone = LOCALES[i], ZONES[i]
        for name, value in profile.items():
            setattr(chosen, name, value)
        made.append(user)
    db.session.commit()
    return made


def mails_to(user) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to_addr == user.email)
                                   .order_by(MailMessage.id)))


def _request_to_join(admin, make_user, n: int, mode: str) -> list:
    """``n`` coordinators of a new group who email ``mode``, asked by Ana to let her in."""
    coordinators = members(make_user, n, f"coordinator{n}x")
    for user in coordinators:
        notes.set_email_mode(user, mode)
    group = groups.create_group(admin, GroupFields(
        f"Group {n}", f"group-{n}", "", "listed", "request"), coordinators)
    membership.request_to_join(make_user(email=f"ana{n}@example.org", name="Ana"), group)
    db.session.commit()
    return coordinators


def test_immediate_notification_emails_read_a_fixed_number_of_times(admin, make_user):
    measured = {}
    for n in SIZES:
        coordinators = _request_to_join(admin, make_user, n, "immediate")
        with statements() as sent:
            report = delivery.deliver_immediate()
        measured[n] = reads(sent)
        assert report.emailed == report.messages >= n
        for user, code in zip(coordinators, LOCALES, strict=False):
            assert said(code, "%(name)s asks to join %(group)s", name="Ana",
                        group=f"Group {n}") in [m.subject for m in mails_to(user)]
    assert measured[1] == measured[5] and measured[1]["profiles"] == 1


def test_digests_read_profiles_once_for_all_members(admin, make_user):
    measured = {}
    for n in SIZES:
        coordinators = _request_to_join(admin, make_user, n, "digest")
        with statements() as sent:
            assert delivery.send_digests().messages == n
        measured[n] = reads(sent)["profiles"]  # each digest reads its member's notifications
        for user, code in zip(coordinators, LOCALES, strict=False):
            catalogue = Translations.load(str(TRANSLATIONS), [code])
            [message] = mails_to(user)
            assert message.subject == catalogue.ngettext(
                "PEN digest: %(num)d new notification", "PEN digest: %(num)d new notifications",
                2) % {"num": 2}
    assert measured == {1: 1, 5: 1}


def test_reminders_read_a_fixed_number_of_times_and_show_each_members_clock(admin, make_user):
    workshop = events.create_event(admin, future_fields())  # on UTC: members see theirs too
    measured = {}
    for n in SIZES:
        reminded = members(make_user, n, f"attendee{n}x")
        for user in reminded:
            registration.register(user, workshop)
        with statements() as sent:
            assert registration.send_reminders(workshop.starts_at - timedelta(hours=2)) == n
        measured[n] = reads(sent)
        for user, code, zone in zip(reminded, LOCALES, ZONES, strict=False):
            reminder = mails_to(user)[-1]
            assert reminder.subject == said(code, "Reminder: %(title)s", title=workshop.title)
            assert f"({zone})" in reminder.body_text and "(UTC)" in reminder.body_text
    assert measured[1] == measured[5] and measured[1]["profiles"] == 1
    assert registration.send_reminders(workshop.starts_at - timedelta(hours=2)) == 0


def test_the_ocps_asked_to_endorse_are_read_a_fixed_number_of_times(admin, make_user):
    workshop = events.create_event(admin, future_fields(registration="ocp"))
    measured = {}
    for n, country in zip(SIZES, ("BF", "SN"), strict=True):
        ocps = members(make_user, n, f"ocp{n}x", country=country)
        for ocp in ocps:
            designations.record(SYSTEM, ocp, "ocp", country, date(2010, 1, 1))
        asking = make_user(email=f"asks{n}@example.org", name="Moussa")
        profile_of(asking).country = country
        db.session.commit()
        with statements() as sent:
            registration.register(asking, workshop)
        measured[n] = reads(sent)
        for user, code in zip(ocps, LOCALES, strict=False):
            assert [m.subject for m in mails_to(user)] == [
                said(code, "A registration awaits your endorsement")]
    assert measured[1] == measured[5]


def test_nominators_are_told_with_a_fixed_number_of_reads(cycle, clock, admin,  # noqa: F811
                                                          make_user):
    nominators = members(make_user, 1, "first") + members(make_user, 5, "then")
    nominations = [nominating.save(user, cycle, outside_entry(cycle, f"Nominee {i}"),
                                   submit=True) for i, user in enumerate(nominators)]
    clock.after_deadline()
    measured = {}
    for n, told in ((1, nominations[:1]), (5, nominations[1:])):
        for nomination in told:
            decisions.decide(admin, nomination, "not_selected")
        with statements() as sent:
            assert decisions.notify_nominators(admin, cycle) == n
        measured[n] = reads(sent)
    assert measured[1] == measured[5] and measured[1]["profiles"] == 1
    for user, code in zip(nominators[1:], LOCALES, strict=True):
        assert mails_to(user)[-1].subject == said(
            code, "The outcome of your nomination for %(cycle)s", cycle="PEN Awards 2011")


def test_members_unknown_to_the_profiles_are_written_to_in_english_on_utc(member):
    writing = i18n.recipients([member.id, 999_999, member.id])
    assert list(writing) == [member.id, 999_999]
    assert writing[999_999] == i18n.Recipient("en", None)
    assert i18n.recipients([]) == {}

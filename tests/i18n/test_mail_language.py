"""Mail and notifications are written in the recipient's language, not the sender's."""

from babel.support import Translations
from sqlalchemy import select

from pen.extensions import db
from pen.groups import membership
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.mail import MailMessage
from pen.members import service as members
from pen.notifications.models import Notification
from tests.i18n.test_catalogues import TRANSLATIONS


def said(code: str, msgid: str, **values) -> str:
    """What the ``code`` catalogue says for ``msgid``, with its values."""
    return Translations.load(str(TRANSLATIONS), [code]).gettext(msgid) % values


def _choose(user, code: str) -> None:
    members.profile_of(user).locale = code
    db.session.commit()


def _mail_to(user) -> MailMessage:
    return db.session.scalars(select(MailMessage).where(MailMessage.to_addr == user.email)
                              .order_by(MailMessage.id.desc())).first()


def test_a_password_reset_is_written_in_the_members_language(client, member):
    _choose(member, "ru")
    client.post("/auth/reset", data={"email": member.email},
                headers={"Accept-Language": "en"})  # asked from an English browser
    message = _mail_to(member)
    assert message.subject == said("ru", "Reset your PEN password")
    assert said("ru", "Hello %(name)s,", name=member.display_name) in message.body_text
    assert "Hello" not in message.body_text


def test_without_a_choice_mail_goes_in_a_language_of_the_profile(client, member):
    members.profile_of(member).languages = ["en", "es"]
    db.session.commit()
    client.post("/auth/reset", data={"email": member.email})
    assert _mail_to(member).subject == said("es", "Reset your PEN password")


def test_a_notification_follows_its_reader_even_after_a_switch(admin, make_user, client_as):
    coordinator = make_user(email="kofi@example.org", name="Kofi Mensah")
    group = groups.create_group(admin, GroupFields(
        "Inventories", "inventories", "", "listed", "request"), [coordinator])
    _choose(coordinator, "fr")
    membership.request_to_join(make_user(email="ana@example.org", name="Ana González"), group)
    db.session.commit()
    sentence = "%(name)s asks to join %(group)s"
    reader = client_as(coordinator)
    french = said("fr", sentence, name="Ana González", group="Inventories")
    assert french in reader.get("/notifications/").get_data(as_text=True)
    reader.post("/members/language", data={"locale": "es", "next": "/"})
    spanish = said("es", sentence, name="Ana González", group="Inventories")
    assert spanish in reader.get("/notifications/").get_data(as_text=True)
    note = db.session.scalars(select(Notification).where(
        Notification.user_id == coordinator.id, Notification.kind == "group.request")).one()
    assert note.shown_title == sentence % {"name": "Ana González", "group": "Inventories"}

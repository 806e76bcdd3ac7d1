"""What the platform does with a mail it receives: a delivery report, a reply, or neither.

``receive(mail_from, recipient, data)`` answers with the SMTP reply line the
receiver gives back, and never raises for what a message contains:

- a delivery report (a bounce) marks addresses bouncing (``pen.bounces``) and is
  never answered; nor is automatic mail (``Auto-Submitted``, ``Precedence: bulk,
  junk, list``, an empty envelope sender): answering it could start a loop;
- a reply to a reply address (``replies``) is posted as its member, after the
  checks: the address is genuine and not revoked, the sender (``From``) is the
  member's own address, the reply has a plain-text part, and the area's handler
  accepts it (topic still open and visible, conversation not left, attachments
  by the same rules as the site's forms). Quoted text and signatures are cut off.
- a refused reply gets a short mail back saying why, to the member's own address
  (never to a spoofed sender), marked ``Auto-Submitted: auto-replied``.
"""

import email
import email.policy
import re
from email.message import EmailMessage
from email.utils import parseaddr

from flask_babel import gettext as _

from .. import audit, bounces, i18n, mail
from ..auth import permissions
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from . import replies
from .replies import ReplyRefused

ACCEPTED = "250 OK"
QUOTE_HEADERS = (
    re.compile(r"^\s*On .{0,200}wrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le .{0,200}a écrit\s*:\s*$", re.IGNORECASE),
    re.compile(r"^\s*El .{0,200}escribió:\s*$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^_{10,}\s*$"),
    re.compile(r"^\s*From:\s.+@", re.IGNORECASE),
    re.compile(r"^\s*Sent from my ", re.IGNORECASE),
)
# "-- Reply above this line --" in the reader's language, at the top of our mails.
REPLY_MARKER = re.compile(r"^-- .{3,80} --$")


def receive(mail_from: str, recipient: str, data: bytes) -> str:
    """Handle one message for one recipient; the SMTP reply line."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if bounces.is_delivery_report(message):
        marked = bounces.process(message)
        return f"250 OK: delivery report read ({len(marked)} bouncing)"
    if _is_automatic(mail_from, message):
        _log_refusal(None, recipient, "automatic mail is never answered")
        return "250 OK: automatic mail is not posted nor answered"
    address = replies.parse(recipient)
    if address is None:
        return "550 5.1.1 This reply address is not valid"
    return _reply(address, message)


def _is_automatic(mail_from: str, message: EmailMessage) -> bool:
    """Auto-replies, bulk mail, lists and bounces (empty envelope sender, RFC 3834)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (not (mail_from or "").strip("<> ") or auto != "no"
            or precedence in {"bulk", "junk", "list"}
            or message.get("List-Id") is not None)


def _reply(address: replies.ReplyAddress, message: EmailMessage) -> str:
    """Check and post a reply; a refusal is mailed back to the member."""
    user = db.session.get(User, address.user_id)
    if user is None or not permissions.is_member(user):
        return "550 5.7.1 This reply address is no longer valid"
    with i18n.for_recipient(user):  # reasons and the mail back in the member's language
        try:
            _check(user, address, message)
            text, uploads = content(message)
            replies.target(address.target_type).handler(user, address.target_id, text, uploads)
        except (ReplyRefused, ValidationError) as exc:
            db.session.rollback()
            _refuse(user, address, message, exc.message)
            return f"250 OK: refused, the sender is told why ({exc.message})"
    audit.record(user, "mail.reply_posted", user, kind=address.target_type,
                 id=address.target_id)
    db.session.commit()
    return "250 OK: posted"


def _check(user, address: replies.ReplyAddress, message: EmailMessage) -> None:
    """The sender is the member, and the address was not revoked."""
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    if sender != user.email.strip().lower():
        raise ReplyRefused(_("A reply was sent with your reply address from another address "
                             "(%(sender)s). Replies must come from your own address; it was "
                             "not posted.", sender=sender or "?"))
    if address.version != replies.version_of(user.id):
        raise ReplyRefused(_("This reply address was revoked. Reply from the site, or to a "
                             "newer notification."))


def content(message: EmailMessage) -> tuple[str, list[tuple[str, bytes]]]:
    """(the new text of a reply, without quotes or signature; its attached files)."""
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        raise ReplyRefused(_("Your reply had no plain-text version, and only plain text is "
                             "posted. Set your mail program to send plain text too."))
    text = strip_quotes(body.get_content())
    if not text:
        raise ReplyRefused(_("Your reply was empty once the quoted text was removed."))
    uploads = [(part.get_filename(), part.get_payload(decode=True) or b"")
               for part in message.iter_attachments() if part.get_filename()]
    return text, uploads


def strip_quotes(text: str) -> str:
    """The text above the quotation, the signature or our marker line."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if (line.rstrip() == "--" or line.startswith(">")
                or REPLY_MARKER.match(line.strip())
                or any(p.match(line) for p in QUOTE_HEADERS)):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def _refuse(user, address: replies.ReplyAddress, message: EmailMessage, reason: str) -> None:
    """Tell the member, at their own address, why their reply was not posted."""
    _log_refusal(user, f"{address.target_type}:{address.target_id}", reason)
    subject = str(message.get("Subject", ""))[:200]
    queued = mail.queue(user.email, _("Not posted: %(subject)s", subject=subject),
                        _("Your reply by email was not posted.") + "\n\n" + reason + "\n",
                        headers={"Auto-Submitted": "auto-replied"})
    db.session.add(queued)
    db.session.commit()


def _log_refusal(user, what: str, reason: str) -> None:
    """Keep the refusal in the audit log, for administrators."""
    audit.record(user, "mail.reply_refused", None, to=what[:200], reason=reason[:500])
    db.session.commit()

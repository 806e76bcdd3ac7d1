"""Delivery reports (RFC 3464): the bounces that come back for mail the platform sent.

A report is a ``multipart/report; report-type=delivery-status`` message whose
``message/delivery-status`` part holds one block per recipient with its
``Final-Recipient``, ``Action`` and ``Status``. A recipient whose action is
"failed" with a permanent status (5.x.x) is marked bouncing (``pen.mail``): no
mail is sent to it until the member confirms or changes it. Delays (4.x.x,
"delayed") and anything else are ignored: the outbox retries those itself.
"""

from email.message import Message

from . import audit, mail
from .extensions import db


def is_delivery_report(message: Message) -> bool:
    """Whether ``message`` is a delivery status notification."""
    return (message.get_content_type() == "multipart/report"
            and (message.get_param("report-type") or "").lower() == "delivery-status")


def _status_blocks(message: Message) -> list[Message]:
    """The field blocks of the report's ``message/delivery-status`` part."""
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            return [block for block in payload if isinstance(block, Message)] if isinstance(
                payload, list) else []
    return []


def _address(field: str | None) -> str | None:
    """The address of ``rfc822; someone@example.org`` (None when it is not one)."""
    if not field:
        return None
    value = str(field).split(";", 1)[-1].strip().strip("<>")
    return value if "@" in value and " " not in value else None


def failed_recipients(message: Message) -> list[tuple[str, str]]:
    """(address, "status diagnostic") of each recipient that failed for good."""
    failed = []
    for block in _status_blocks(message):
        address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
        action = str(block.get("Action", "")).strip().lower()
        status = str(block.get("Status", "")).strip()
        if address and action == "failed" and status.startswith("5"):
            detail = f"{status} {block.get('Diagnostic-Code', '')}".strip()
            failed.append((address, " ".join(detail.split())))
    return failed


def process(message: Message) -> list[str]:
    """Mark the addresses a delivery report says failed for good; the addresses (commits)."""
    if not is_delivery_report(message):
        return []
    marked = []
    for address, detail in failed_recipients(message):
        mail.mark_bouncing(address, detail)
        audit.record(None, "mail.bouncing", None, address=address, detail=detail)
        marked.append(address)
    db.session.commit()
    return marked

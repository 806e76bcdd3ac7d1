"""The number beside "Messages" in every page's header, read with the member's session:
right on the page after reading a conversation, and after a new message."""

import re

from pen.messages import service


def badge(client, url: str = "/notifications/") -> str | None:
    """The number beside "Messages" on ``url``, or None."""
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'href="/messages/"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', html)
    return found.group(1) if found else None


def test_the_badge_counts_unread_conversations(ana, ben, talk, client_as):
    client = client_as(ben)
    assert badge(client) == "1"
    client.get(f"/messages/{talk.id}")  # drawn, then marked read
    assert badge(client) is None
    service.send(ana, talk, "And the capacitors?")
    assert badge(client) == "1"
    assert badge(client_as(ana)) is None

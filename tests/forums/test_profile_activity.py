"""Faces and activity: a member's recent topics, replies and documents on their profile
(each through the visibility rule for the one looking), the reactions they received,
and faces in the list of conversations."""

import io
import re

from pen.forums import reactions, service
from pen.library import samples
from pen.library import service as library
from pen.messages import service as messages
from tests.library.conftest import meta


def section(html: str, title: str) -> str:
    found = re.search(rf"<h2[^>]*>{title}</h2>\s*<ul[^>]*>(.*?)</ul>", html, re.S)
    return found.group(1) if found else ""


def test_a_profile_shows_what_the_viewer_may_see_of_the_member(category, author, member,
                                                               admin, client_as, make_user):
    topic = service.create_topic(author, category, "Oil sampling", "Which kit?")
    reply = service.reply(author, topic, "The field kit works")
    service.create_topic(admin, category, "Group plan", "Q", group_id=7)
    secret_reply = service.create_topic(admin, category, "Admin group", "Q", group_id=8)
    service.reply(admin, secret_reply, "Group words")
    reactions.toggle(member, reply, "thanks")
    reactions.toggle(make_user(), reply, "thanks")
    reactions.toggle(member, reply, "helpful")
    html = client_as(member).get(f"/members/{author.id}").get_data(as_text=True)
    assert "Oil sampling" in section(html, "Recent topics")
    assert f"/forums/p/{reply.id}" in section(html, "Recent replies")
    received = section(html, "Reactions received")
    assert "👍 Thanks: 2" in received and "💡 Helpful: 1" in received
    admin_page = client_as(member).get(f"/members/{admin.id}").get_data(as_text=True)
    assert "Group plan" not in admin_page and "Admin group" not in admin_page
    own_view = client_as(admin).get(f"/members/{admin.id}").get_data(as_text=True)
    assert "Group plan" in section(own_view, "Recent topics")


def test_a_profile_lists_recent_documents_through_the_document_rule(member, author,
                                                                    client_as):
    library.upload(author, meta(title="Inventory guide"), "guide.pdf",
                   io.BytesIO(samples.make_pdf(["PCB inventory"])))
    html = client_as(member).get(f"/members/{author.id}").get_data(as_text=True)
    assert "Inventory guide" in section(html, "Recent documents")


def test_conversations_show_the_participants_faces(member, author, client_as):
    messages.start(author, [member], "Field kits", "Which one?")
    html = client_as(member).get("/messages/").get_data(as_text=True)
    assert re.search(r'<span class="pen-faces">(<svg class="pen-avatar".*?</svg>){2}</span>',
                     html, re.S)

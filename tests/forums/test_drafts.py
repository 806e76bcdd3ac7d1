"""Drafts: a topic or reply being written survives a reload or another device, is
offered back where it applies, is gone once posted, and a huge one is refused."""

import re
from html import unescape

from sqlalchemy import select

from pen.extensions import db
from pen.forums import drafts, moderation, service
from pen.forums.models import Draft
from pen.forums.posting import BODY_MAX


def page(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_save_draft_without_script_survives_another_device(topic, member, client_as):
    text = "Half a reply about **field kits**"
    response = client_as(member).post(f"/forums/t/{topic.id}/reply",
                                      data={"body": text, "save_draft": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forums/t/{topic.id}/reply")
    other_device = client_as(member)
    html = page(other_device.get(f"/forums/t/{topic.id}/reply"))
    assert text in html and "You have a draft here" in html
    html = page(other_device.get(f"/forums/t/{topic.id}"))
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(text), html)  # the inline form too
    assert "Discard draft" in html


def test_posting_discards_the_draft(topic, member, client_as):
    client = client_as(member)
    client.post(f"/forums/t/{topic.id}/draft", data={"body": "Try a field kit"})
    assert drafts.find(member, drafts.topic_place(topic)) is not None
    response = client.post(f"/forums/t/{topic.id}/reply",
                           data={"body": "Try a field kit first.", "submit": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(Draft)) is None
    assert "You have a draft" not in page(client.get(f"/forums/t/{topic.id}"))


def test_autosave_keeps_a_new_topic_and_the_category_offers_it(category, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/c/{category.slug}/draft",
                           data={"title": "Capacitor labels", "body": "Which ones?"})
    assert response.get_json() == {"saved": True}
    assert "Continue your draft" in page(client.get(f"/forums/c/{category.slug}"))
    html = page(client.get(f"/forums/c/{category.slug}/new"))
    assert 'value="Capacitor labels"' in html and "Which ones?" in html
    client.post(f"/forums/c/{category.slug}/draft", data={"title": "", "body": "  "})
    assert db.session.scalar(select(Draft)) is None  # emptied: nothing kept


def test_a_ten_megabyte_draft_is_refused_with_the_reason(topic, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/draft", data={"body": "PCB " * 2_621_440})
    assert response.status_code == 400
    assert "10,485,760 characters; the limit is" in response.get_json()["error"]
    too_long = "x" * (BODY_MAX + 1)
    response = client.post(f"/forums/t/{topic.id}/draft", data={"body": too_long})
    assert response.status_code == 400
    assert f"{BODY_MAX + 1:,} characters; the limit is {BODY_MAX:,}" in \
        response.get_json()["error"]
    response = client.post(f"/forums/t/{topic.id}/reply",
                           data={"body": too_long, "save_draft": "1"})
    html = page(response)
    assert response.status_code == 400 and "the limit is" in html and too_long in html
    assert db.session.scalar(select(Draft)) is None


def test_drafts_are_private_and_follow_what_one_may_write(topic, member, author, moderator,
                                                          client_as):
    client_as(member).post(f"/forums/t/{topic.id}/draft", data={"body": "My secret words"})
    assert "My secret words" not in page(client_as(author).get(f"/forums/t/{topic.id}/reply"))
    moderation.set_locked(moderator, topic, True)
    assert client_as(member).post(f"/forums/t/{topic.id}/draft",
                                  data={"body": "x"}).status_code == 403
    assert client_as(member).post("/forums/t/999/draft", data={"body": "x"}).status_code == 404


def test_discard_throws_the_draft_away(topic, member, client_as):
    client = client_as(member)
    client.post(f"/forums/t/{topic.id}/draft", data={"body": "Start again"})
    response = client.post(f"/forums/t/{topic.id}/draft/discard")
    assert response.status_code == 302
    assert "Start again" not in page(client.get(f"/forums/t/{topic.id}/reply"))


def test_edit_pages_offer_no_draft(topic, author, client_as):
    post_id = service.db.session.scalar(select(service.Post.id))
    html = page(client_as(author).get(f"/forums/p/{post_id}/edit"))
    assert "Save draft" not in html and "js/drafts" not in html

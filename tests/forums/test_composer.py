"""The composer's server side: the live preview (the same sanitised Markdown as saving),
the members one may mention, and the Quote link that works without a script."""

from html import unescape

from pen.auth.models import UserStatus
from pen.forums import service
from pen.forums.posting import BODY_MAX


def test_the_live_preview_is_the_stored_rendering(member_client):
    response = member_client.post("/forums/preview", data={
        "body": "**Clor-N-Oil** <script>alert(1)</script> [x](javascript:alert(1))"})
    html = response.get_json()["html"]
    assert "<strong>Clor-N-Oil</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    response = member_client.post("/forums/preview", data={"body": "x" * (BODY_MAX + 1)})
    assert response.status_code == 400 and "the limit is" in response.get_json()["error"]


def test_mention_suggestions_are_members_the_author_may_see(member, make_user, client_as,
                                                            category, admin):
    make_user(name="Nguyen Van Minh")
    make_user(name="Nguyen Suspended", status=UserStatus.SUSPENDED)
    make_user(name="Nguyen Invited", status=UserStatus.INVITED)
    client = client_as(make_user(name="Ana Writer"))
    names = [m["name"] for m in client.get("/forums/mentionable?q=nguyen").get_json()["members"]]
    assert names == ["Nguyen Thi Lan", "Nguyen Van Minh"]  # no suspended, no invited
    member_handles = client.get("/forums/mentionable?q=thi la").get_json()["members"]
    assert member_handles == [{"name": "Nguyen Thi Lan", "handle": "NguyenThiLan"}]
    assert client.get("/forums/mentionable?q=n").get_json() == {"members": []}
    assert client.get("/forums/mentionable?q=%25").get_json() == {"members": []}  # no wildcard
    group_topic = service.create_topic(admin, category, "Group plan", "Q", group_id=7)
    in_topic = client_as(admin).get(f"/forums/mentionable?q=nguyen&topic={group_topic.id}")
    assert in_topic.get_json() == {"members": []}  # nobody here may see the group's topic


def test_quote_stays_a_link_to_the_reply_page(topic, author, member, client_as):
    reply = service.reply(author, topic, "Use **two** kits")
    html = unescape(client_as(member).get(f"/forums/t/{topic.id}").get_data(as_text=True))
    assert f'href="/forums/t/{topic.id}/reply?quote={reply.id}"' in html
    assert f'data-quote-head="> **Ana González** [wrote](/forums/p/{reply.id}):"' in html
    assert "js/composer" in html and 'class="pen-composer"' in html


def test_kept_files_are_the_member_s_own_and_checked(topic, member, author, client_as):
    import io
    import re

    from pen.forums import kept_files
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "Look", "preview": "1",
        "attachments": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "report.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400  # an HTML file named .pdf: refused at the preview
    assert "These files will be attached" not in unescape(response.get_data(as_text=True))
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "Look", "preview": "1",
        "attachments": (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                        "a.pdf")}, content_type="multipart/form-data")
    token = re.search(r'name="kept_files" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True)).group(1)
    other = client_as(author).post(f"/forums/t/{topic.id}/reply", data={
        "body": "Stolen token", "submit": "1", "kept_files": token})
    assert other.status_code == 302
    from pen.extensions import db
    from pen.forums.models import Post
    stolen = db.session.get(Post, int(other.headers["Location"].rsplit("/", 1)[1]))
    assert stolen.attachments == []  # another member's token keeps nothing for them
    assert client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "Forged", "submit": "1", "kept_files": token + "x"}).status_code == 302
    assert kept_files.sweep() == 0  # the pending copy is younger than a day: kept

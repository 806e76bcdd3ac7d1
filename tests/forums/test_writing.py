"""Writing: topics, replies, preview, quoting, edits with history, deletion, answers."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from pen.audit import AuditEntry
from pen.auth.system import SYSTEM as SYSTEM_ADMIN
from pen.errors import Forbidden, ValidationError
from pen.extensions import db
from pen.forums import moderation, service
from pen.forums.models import Post, PostRevision, Topic
from pen.forums.posting import BODY_MAX


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_member_starts_a_topic_and_sees_it(category, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/c/{category.slug}/new", data={
        "title": "Disposal options for capacitors in West Africa",
        "body": "Which **licensed** facilities take PCB capacitors?", "submit": "1"})
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic))
    html = page(client.get(response.headers["Location"]))
    assert "Disposal options for capacitors in West Africa" in html
    assert "<strong>licensed</strong>" in html
    db.session.refresh(category)
    assert (category.topic_count, category.post_count, category.last_topic_id) == (1, 1, topic.id)


def test_preview_shows_the_stored_rendering_and_saves_nothing(topic, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "| kit | ppm |\n|---|---|\n| L2000DX | 2 |", "preview": "1"})
    html = page(response)
    assert response.status_code == 200
    assert "Preview" in html and "<table>" in html and "L2000DX</td>" in html
    assert "| kit | ppm |" in html  # the text stays in the form
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_reply_quoting_a_post(topic, member, client_as):
    client = client_as(member)
    html = page(client.get(f"/forums/t/{topic.id}/reply?quote={topic.last_post_id}"))
    assert f"&gt; **Ana González** [wrote](/forums/p/{topic.last_post_id}):" in html
    assert "&gt; Our utility has 300 transformers" in html


def test_quoting_a_mention_does_not_mention_again(topic, member, author, make_user):
    from pen.notifications.models import Notification
    fatou = make_user(name="Fatou Sow")
    service.reply(author, topic, "@FatouSow knows the kits")
    service.reply(member, topic, "> @FatouSow knows the kits\n\nThanks, @AnaGonzalez")
    kinds = list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == fatou.id)))
    assert kinds == ["forum.mention"]


def test_a_preview_keeps_the_chosen_files_for_the_post(topic, member, client_as):
    import io
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "See the attached report", "preview": "1",
        "attachments": (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                        "report.pdf")},
        content_type="multipart/form-data")
    html = page(response)
    assert "These files will be attached: report.pdf." in html
    assert "See the attached report" in html
    token = re.search(r'name="kept_files" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "See the attached report", "submit": "1", "kept_files": token})
    assert response.status_code == 302
    post = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert [a.filename for a in post.attachments] == ["report.pdf"]


def test_reply_moves_the_topic_up_and_counts(topic, member, category):
    service.reply(member, topic, "We used field test kits, then GC-ECD in the lab.")
    db.session.refresh(topic)
    db.session.refresh(category)
    assert topic.post_count == 2 and topic.reply_count == 1 and topic.last_poster_id == member.id
    assert category.post_count == 2


def test_reply_to_a_locked_topic_is_refused_with_403(topic, member, moderator, client_as):
    moderation.set_locked(moderator, topic, True)
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={"body": "Late", "submit": "1"})
    assert response.status_code == 403
    assert client.get(f"/forums/t/{topic.id}/reply").status_code == 403
    with pytest.raises(Forbidden):
        service.reply(member, topic, "Late again")
    service.reply(moderator, topic, "Moderators may still answer.")  # no exception


def test_editing_keeps_every_version(topic, author, client_as):
    post = db.session.get(Post, topic.last_post_id)
    client = client_as(author)
    response = client.post(f"/forums/p/{post.id}/edit", data={
        "title": "How do we test transformer oil for PCB content?",
        "body": "Edited: which **field kits** work?", "submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert post.revision_count == 2 and post.topic.title.endswith("PCB content?")
    versions = db.session.scalars(select(PostRevision.body).where(PostRevision.post_id == post.id)
                                  .order_by(PostRevision.version)).all()
    assert versions == ["Our utility has 300 transformers from the 1970s. **Which test kits** "
                        "work?", "Edited: which **field kits** work?"]
    html = page(client.get(f"/forums/t/{topic.id}"))
    assert f'href="/forums/p/{post.id}/history">edited</a>' in html
    history = page(client.get(f"/forums/p/{post.id}/history"))
    assert "Version 2" in history and "Version 1" in history and "Which test kits" in history


def test_editing_someone_elses_post_is_refused_with_403(topic, member, client_as):
    post_id = topic.last_post_id
    client = client_as(member)
    assert client.get(f"/forums/p/{post_id}/edit").status_code == 403
    response = client.post(f"/forums/p/{post_id}/edit", data={"body": "Hijacked", "submit": "1"})
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        service.edit_post(member, db.session.get(Post, post_id), "Hijacked")
    assert "Hijacked" not in db.session.get(Post, post_id).body


def test_moderators_edit_any_post_and_it_is_audited(topic, moderator):
    post = db.session.get(Post, topic.last_post_id)
    service.edit_post(moderator, post, "Removed a phone number.")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "forum.post.edit"))


def test_soft_deleted_reply_is_gone_for_members_and_marked_for_moderators(
        topic, member, moderator, client_as, make_user):
    reply = service.reply(member, topic, "Sorry, wrong topic.")
    client = client_as(member)
    assert client.post(f"/forums/p/{reply.id}/delete",
                       data={"confirmed": "1"}).status_code == 302
    reader = client_as(make_user())
    assert "wrong topic" not in page(reader.get(f"/forums/t/{topic.id}"))
    assert reader.get(f"/forums/p/{reply.id}").status_code == 404
    html = page(client_as(moderator).get(f"/forums/t/{topic.id}"))
    assert "wrong topic" in html and "pen-post-deleted" in html
    db.session.refresh(topic)
    assert topic.post_count == 1


def test_deleting_the_first_post_deletes_the_topic(topic, author, member, moderator, client_as,
                                                   category):
    service.delete_post(author, db.session.get(Post, topic.last_post_id))
    assert client_as(member).get(f"/forums/t/{topic.id}").status_code == 404
    assert client_as(moderator).get(f"/forums/t/{topic.id}").status_code == 200
    db.session.refresh(category)
    assert category.topic_count == 0 and category.post_count == 0


def test_members_cannot_delete_others_posts(topic, member, client_as):
    assert client_as(member).post(f"/forums/p/{topic.last_post_id}/delete").status_code == 403


def test_accepted_answer_is_shown_under_the_question(topic, author, member, client_as):
    answer = service.reply(member, topic, "Use the **L2000DX** chloride analyser.")
    client = client_as(author)
    assert client.post(f"/forums/t/{topic.id}/accept",
                       data={"post_id": answer.id}).status_code == 302
    db.session.refresh(topic)
    assert topic.solved and topic.accepted_post_id == answer.id
    html = page(client.get(f"/forums/t/{topic.id}"))
    question, accepted = html.index('id="p' + str(topic.id)), html.index("Accepted answer, by")
    assert accepted > question and "pen-accepted" in html


def test_only_the_author_or_a_moderator_accepts(topic, member, make_user):
    answer = service.reply(member, topic, "An answer")
    with pytest.raises(Forbidden):
        service.accept_answer(make_user(), topic, answer)
    with pytest.raises(Forbidden):
        service.accept_answer(member, topic, answer)


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>hello",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div><p><b>nested <i>broken</div></b><a href='javascript:x' onclick=y>z",
    '<a href="JaVaScRiPt:alert(1)">x</a> <svg onload=alert(1)>',
    "<iframe src=https://evil.example></iframe><style>body{display:none}</style>",
])
def test_hostile_markdown_is_stored_safe(topic, member, body):
    post = service.reply(member, topic, body)
    html = post.body_html.lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "data:", "<iframe",
                "<style", "<svg", "<div"):
        assert bad not in html, (bad, post.body_html)
    assert post.body == body.strip()  # the source is kept as written


def test_one_megabyte_of_text_is_refused_beside_the_field_and_kept(topic, member, client_as):
    body = "PCB " * 262_144  # 1 MiB
    response = client_as(member).post(f"/forums/t/{topic.id}/reply",
                                      data={"body": body, "submit": "1"})
    html = page(response)
    assert response.status_code == 400
    error = re.search(r'id="body-error"[^>]*>([^<]+)<', html).group(1)
    assert "1048576 characters" in error and f"limit is {BODY_MAX}" in error
    assert html.count("PCB PCB PCB") > 0  # the text is still in the form
    with pytest.raises(ValidationError, match="limit"):
        service.reply(member, topic, body)


def test_empty_reply_and_short_title_are_explained(category, member, client_as):
    client = client_as(member)
    response = client.post(f"/forums/c/{category.slug}/new",
                           data={"title": "PC", "body": "", "submit": "1"})
    html = page(response)
    assert response.status_code == 400
    assert 'id="title-error"' in html and 'id="body-error"' in html
    assert 'value="PC"' in html


def test_a_reply_without_csrf_token_is_refused(app_factory, tmp_path):
    from pen.auth import service as accounts
    from tests.conftest import PASSWORD, csrf_token_from, login

    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = accounts.create_user("csrf@example.org", "Csrf Tester", PASSWORD)
        db.session.commit()
        category = service.create_category(SYSTEM_ADMIN, "Inventories")
        topic = service.create_topic(user, category, "Inventory forms", "Which form?")
        client = app.test_client()
        token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
        login(client, "csrf@example.org", csrf_token=token)
        refused = client.post(f"/forums/t/{topic.id}/reply", data={"body": "No token"})
        assert refused.status_code == 400
        html = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
        accepted = client.post(f"/forums/t/{topic.id}/reply", data={
            "body": "With token", "submit": "1", "csrf_token": csrf_token_from(html)})
        assert accepted.status_code == 302


def test_nobody_starts_a_topic_in_a_group_they_cannot_see(category, member):
    with pytest.raises(Forbidden):
        service.create_topic(member, category, "Sneaking in", "Into group 7", group_id=7)


def _kept_token(html: str) -> str:
    return re.search(r'name="kept_files" type="hidden" value="([^"]+)"', html).group(1)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_refused_reply_keeps_the_chosen_files(topic, member, client_as):
    """An empty reply, then one too long: each refused with the reason, the file kept
    (the page says so) and attached once the reply is right."""
    import io
    client = client_as(member)
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "  ", "submit": "1", "attachments": (io.BytesIO(PDF), "report.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    html = unescape(page(response))
    assert "Write something first." in html
    assert "Your files are kept: report.pdf. They will be attached when you post" in html
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "x" * 50_001, "submit": "1", "kept_files": _kept_token(html)})
    assert response.status_code == 400
    html = unescape(page(response))
    assert "the limit is 50000" in html and "Your files are kept: report.pdf." in html
    response = client.post(f"/forums/t/{topic.id}/reply", data={
        "body": "The report, at last", "submit": "1", "kept_files": _kept_token(html)})
    assert response.status_code == 302
    post = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert [a.filename for a in post.attachments] == ["report.pdf"]


def test_a_refused_topic_keeps_its_files_and_a_bad_file_is_not_kept(category, member,
                                                                    client_as):
    import io
    client = client_as(member)
    response = client.post(f"/forums/c/{category.slug}/new", data={
        "title": "", "body": "Our inventory", "submit": "1",
        "attachments": (io.BytesIO(PDF), "inventory.pdf")}, content_type="multipart/form-data")
    html = unescape(page(response))
    assert response.status_code == 400 and "Your files are kept: inventory.pdf." in html
    response = client.post(f"/forums/c/{category.slug}/new", data={
        "title": "", "body": "Our inventory", "submit": "1", "kept_files": _kept_token(html),
        "attachments": (io.BytesIO(b"MZ\x90\x00 not a document"), "tool.exe")},
        content_type="multipart/form-data")
    html = unescape(page(response))
    assert response.status_code == 400
    assert "Your files are kept: inventory.pdf." in html and "tool.exe" not in html.split(
        "Your files are kept")[1].split("</div>")[0]
    response = client.post(f"/forums/c/{category.slug}/new", data={
        "title": "PCB inventory 2026", "body": "Our inventory", "submit": "1",
        "kept_files": _kept_token(html)})
    assert response.status_code == 302
    post = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert [a.filename for a in post.attachments] == ["inventory.pdf"]

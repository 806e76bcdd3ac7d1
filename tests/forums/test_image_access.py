"""Pasted images follow their post: before it is posted only the uploader fetches one;
once a post shows it, whoever sees the post (404 to anyone else: another member before
posting, a stranger to a private group, anyone but moderators after deletion, hidden
posts); pasting another member's link claims nothing; the worker removes images no
post shows after the grace period, and only those."""

import io
from datetime import timedelta

from sqlalchemy import select

from pen import files, worker
from pen.extensions import db
from pen.forums import drafts, images, moderation, service
from pen.forums.models import PastedImage, PastedImageUse
from tests.conftest import statements_of_get
from tests.members.test_profile import jpeg_with_exif


def paste(client) -> tuple[str, str]:
    """Upload an image as ``client``; (its Markdown, its URL)."""
    answer = client.post("/forums/images", data={"image": (io.BytesIO(jpeg_with_exif((40, 30))),
                                                           "site.jpg")},
                         content_type="multipart/form-data").get_json()
    return answer["markdown"], answer["url"]


def test_before_posting_only_the_uploader_fetches_it(author, member, client_as):
    _markdown, url = paste(client_as(author))
    assert client_as(author).get(url).status_code == 200
    assert client_as(member).get(url).status_code == 404  # the random URL is not enough
    assert client_as(author).get(url).headers["Cache-Control"] == "private, no-cache"


def test_a_reply_shows_it_to_readers_and_a_deletion_hides_it(topic, author, member,
                                                              client_as, moderator):
    markdown, url = paste(client_as(author))
    post = service.reply(author, topic, f"The label:\n\n{markdown}")
    assert client_as(member).get(url).status_code == 200
    assert client_as(author).get(url).status_code == 200
    service.delete_post(author, post)
    assert client_as(member).get(url).status_code == 404
    assert client_as(author).get(url).status_code == 404  # the author no longer sees it
    assert client_as(moderator).get(url).status_code == 200  # moderators see deleted posts


def test_a_private_groups_post_keeps_it_in_the_group(category, admin, member, client_as):
    markdown, url = paste(client_as(admin))
    service.create_topic(admin, category, "Group plan", f"Site visit\n\n{markdown}", group_id=7)
    assert client_as(member).get(url).status_code == 404
    assert client_as(admin).get(url).status_code == 200


def test_a_hidden_post_and_a_deleted_topic(topic, author, member, moderator, client_as):
    markdown, url = paste(client_as(author))
    post = service.reply(author, topic, markdown)
    moderation.set_hidden(moderator, post, True, "Off topic")
    assert client_as(member).get(url).status_code == 404
    assert client_as(author).get(url).status_code == 200  # authors see their hidden posts
    first_markdown, first_url = paste(client_as(author))
    started = service.create_topic(author, topic.category, "With a picture", first_markdown)
    assert client_as(member).get(first_url).status_code == 200
    service.delete_post(moderator, db.session.get(type(post), started.last_post_id))
    assert client_as(member).get(first_url).status_code == 404


def test_an_edit_ties_images_pasted_while_editing(topic, author, member, client_as):
    post = service.reply(author, topic, "Photo to follow")
    markdown, url = paste(client_as(author))
    assert client_as(member).get(url).status_code == 404
    service.edit_post(author, post, f"Photo:\n\n{markdown}")
    assert client_as(member).get(url).status_code == 200


def test_another_members_link_claims_nothing(category, topic, admin, author, member,
                                             client_as):
    markdown, url = paste(client_as(admin))  # never posted
    service.reply(member, topic, f"Look: {markdown}")
    assert client_as(member).get(url).status_code == 404
    assert db.session.scalar(select(PastedImageUse)) is None
    group_markdown, group_url = paste(client_as(admin))
    service.create_topic(admin, category, "Group plan", group_markdown, group_id=7)
    service.reply(member, topic, f"Leaked? {group_markdown}")  # copied from somewhere
    assert client_as(member).get(group_url).status_code == 404
    assert client_as(author).get(group_url).status_code == 404


def test_the_sweep_removes_orphans_only_after_the_grace_period(app, topic, author,
                                                               client_as):
    client = client_as(author)
    _orphan_markdown, orphan_url = paste(client)
    posted_markdown, posted_url = paste(client)
    _recent_markdown, recent_url = paste(client)
    service.reply(author, topic, posted_markdown)
    names = {u: u.rsplit("/", 1)[1] for u in (orphan_url, posted_url, recent_url)}
    assert not images.sweep()  # all recent: idle, falsy
    old = db.session.scalars(select(PastedImage).where(PastedImage.stored_name.in_(
        [names[orphan_url], names[posted_url]]))).all()
    for image in old:
        image.created_at -= timedelta(hours=25)
    db.session.commit()
    assert images.sweep() == 1
    assert not files.path_of(images.AREA, names[orphan_url]).exists()
    assert client.get(orphan_url).status_code == 404
    for kept in (posted_url, recent_url):
        assert files.path_of(images.AREA, names[kept]).is_file()
        assert client.get(kept).status_code == 200
    assert not images.sweep()
    assert app.extensions[worker._TASKS_KEY]["forum pasted images"] is images.sweep


def test_the_grace_period_is_a_setting(app, author, client_as):
    _markdown, url = paste(client_as(author))
    image = db.session.scalar(select(PastedImage))
    image.created_at -= timedelta(hours=3)
    db.session.commit()
    assert not images.sweep()
    app.config["FORUM_IMAGE_GRACE_HOURS"] = 2
    assert images.sweep() == 1
    assert client_as(author).get(url).status_code == 404


def test_a_draft_keeps_its_images_past_the_grace_period(topic, author, member, client_as):
    client = client_as(author)
    drafted_markdown, drafted_url = paste(client)
    _markdown, orphan_url = paste(client)
    drafts.save(author, drafts.topic_place(topic), f"Still writing\n\n{drafted_markdown}")
    drafts.save(member, drafts.topic_place(topic), f"Copied: {orphan_url}")  # not theirs
    for image in db.session.scalars(select(PastedImage)):
        image.created_at -= timedelta(days=3)
    db.session.commit()
    assert images.sweep() == 1
    assert client.get(drafted_url).status_code == 200
    assert client.get(orphan_url).status_code == 404
    drafts.discard(author, drafts.topic_place(topic))
    assert images.sweep() == 1
    assert client.get(drafted_url).status_code == 404


def test_fetching_costs_the_same_however_many_posts_show_it(topic, author, member,
                                                            client_as):
    markdown, url = paste(client_as(author))
    service.reply(author, topic, markdown)
    reader = client_as(member)
    once = statements_of_get(reader, url)
    for _ in range(3):
        service.reply(author, topic, f"Again: {markdown}")
    assert len(statements_of_get(reader, url)) == len(once)

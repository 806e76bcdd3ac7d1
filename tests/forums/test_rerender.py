"""Images in posts load lazily; ``markup rerender`` brings HTML stored before a change of
the renderer (an old post, its history, other areas' texts) up to date, mentions kept."""

from pen.extensions import db
from pen.forums import service
from pen.forums.models import Post, PostRevision
from pen.groups import service as groups
from pen.groups.service import GroupFields

IMAGE = "![Transformer nameplate](https://pen.example/nameplate.jpg)"
OLD_HTML = '<p><img alt="Transformer nameplate" src="https://pen.example/nameplate.jpg"></p>'


def test_a_posted_image_loads_lazily_and_stays_in_the_column(client_as, author, category):
    topic = service.create_topic(author, category, "Nameplates", f"Look:\n\n{IMAGE}")
    page = client_as(author).get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert ('<img alt="Transformer nameplate" src="https://pen.example/nameplate.jpg" '
            'loading="lazy" decoding="async">') in page
    css = client_as(author).get("/static/css/pen.css").get_data(as_text=True)
    assert 'img[loading="lazy"][decoding="async"] { max-width: 100%; height: auto; }' in css


def test_the_command_renders_old_posts_again_with_mentions_and_handlers_stripped(
        app, author, member, category, admin):
    body = f"@NguyenThiLan see {IMAGE}\n\n<img src=x onerror=alert(1)>"
    topic = service.create_topic(author, category, "Old post", body)
    post = db.session.get(Post, topic.last_post_id)
    rendered = post.body_html
    group = groups.create_group(admin, GroupFields("Storage", "storage", IMAGE), [admin])
    revision = db.session.query(PostRevision).filter_by(post_id=post.id).one()
    post.body_html = revision.body_html = group.description_html = OLD_HTML
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["markup", "rerender"])
    assert result.exit_code == 0, result.output
    assert "forum posts: " in result.output and "groups: 1 read, 1 rendered again" in result.output
    db.session.expire_all()
    assert post.body_html == rendered and revision.body_html == rendered
    assert 'loading="lazy"' in rendered and "onerror" not in rendered
    assert f'href="/members/{member.id}"' in rendered
    assert 'loading="lazy" decoding="async"' in group.description_html
    again = app.test_cli_runner().invoke(args=["markup", "rerender", "--only", "forum posts"])
    assert again.output.strip() == "forum posts: 1 read, 0 rendered again"


def test_an_unknown_kind_is_refused_naming_the_known_ones(app):
    result = app.test_cli_runner().invoke(args=["markup", "rerender", "--only", "posts"])
    assert result.exit_code == 2 and "forum posts" in result.output

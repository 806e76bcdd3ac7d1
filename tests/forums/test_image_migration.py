"""Revision a8230c6e4f10 records the images already shown in posts, so that they keep
showing to the posts' readers once images follow their post."""

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import JSON, Boolean, DateTime, Integer, MetaData, Numeric, insert, text

from pen.extensions import db
from tests.conftest import make_test_app
from tests.test_migrations import empty_database  # noqa: F401 - the fixture

NAME = "0123456789abcdef0123456789abcdef.png"


def _row(table, **given):
    """``given`` plus a plain value for every other required column."""
    for column in table.columns:
        if column.name in given or column.nullable or column.server_default is not None:
            continue
        if column.primary_key and isinstance(column.type, Integer):
            given[column.name] = 1
        elif isinstance(column.type, Boolean):
            given[column.name] = False
        elif isinstance(column.type, DateTime):
            given[column.name] = datetime.now(UTC)
        elif isinstance(column.type, JSON):
            given[column.name] = {}
        elif isinstance(column.type, Integer | Numeric):
            given[column.name] = 0
        else:
            given[column.name] = "x"
    return given


def test_images_in_posts_before_the_revision_stay_with_their_posts(tmp_path,
                                                                   empty_database):  # noqa: F811
    app = make_test_app(tmp_path, empty_database)
    with app.app_context():
        upgrade(revision="e25a0c6e4f07")
        meta = MetaData()
        meta.reflect(db.engine, only=["users", "forum_categories", "forum_topics",
                                      "forum_posts", "forum_post_revisions"])
        body = f"Before: ![site](/forums/images/{NAME}) and again /forums/images/{NAME}"
        rows = [("users", {"id": 1, "email": "ana@example.org", "status": "active"}),
                ("forum_categories", {"id": 1}),
                ("forum_topics", {"id": 1, "category_id": 1, "author_id": 1}),
                ("forum_posts", {"id": 1, "topic_id": 1, "author_id": 1, "number": 1,
                                 "body": body}),
                ("forum_post_revisions", {"id": 1, "post_id": 1, "version": 1, "body": body})]
        with db.engine.begin() as conn:
            for name, given in rows:
                conn.execute(insert(meta.tables[name]).values(**_row(meta.tables[name],
                                                                     **given)))
        upgrade()
        with db.engine.connect() as conn:
            images = conn.execute(text("SELECT id, stored_name, uploader_id FROM forum_images"))
            assert [tuple(r)[1:] for r in images] == [(NAME, 1)]
            uses = conn.execute(text("SELECT post_id FROM forum_image_uses")).scalars().all()
            assert uses == [1]
        with db.engine.begin() as conn:  # the next image gets the next id
            conn.execute(text("INSERT INTO forum_images (stored_name, created_at) "
                              "VALUES ('next.png', :now)"), {"now": datetime.now(UTC)})
            assert conn.execute(text("SELECT max(id) FROM forum_images")).scalar() == 2
        db.engine.dispose()

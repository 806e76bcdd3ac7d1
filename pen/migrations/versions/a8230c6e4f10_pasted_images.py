"""Pasted images: who sent each image pasted into the composer, and the posts that show
it (its visibility follows theirs); images already in posts are recorded from the
posts' versions, their authors as uploaders

Revision ID: a8230c6e4f10
Revises: e25a0c6e4f07
Create Date: 2026-12-06 16:45:00
"""
import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a8230c6e4f10'
down_revision = 'e25a0c6e4f07'
branch_labels = None
depends_on = None

# A copy of pen.forums.images.NAMED as it was when this revision was written.
NAMED = re.compile(r"/forums/images/([0-9a-f]{32}\.(?:png|jpg))\b")


def upgrade():
    images = op.create_table('forum_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_forum_images_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_images')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_forum_images_stored_name'))
    )
    with op.batch_alter_table('forum_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_images_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_images_uploader_id'), ['uploader_id'], unique=False)
    uses = op.create_table('forum_image_uses',
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['forum_images.id'], name=op.f('fk_forum_image_uses_image_id_forum_images'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_image_uses_post_id_forum_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('image_id', 'post_id', name=op.f('pk_forum_image_uses'))
    )
    with op.batch_alter_table('forum_image_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_image_uses_post_id'), ['post_id'], unique=False)
    _record_images_in_posts(images, uses)


def _record_images_in_posts(images, uses):
    """Images pasted before this revision keep showing where they are: each named in a
    version of a post is tied to that post, its first author as uploader."""
    rows = op.get_bind().execute(sa.text(
        "SELECT r.post_id, p.author_id, r.body FROM forum_post_revisions r "
        "JOIN forum_posts p ON p.id = r.post_id "
        "WHERE r.body LIKE '%/forums/images/%' ORDER BY r.post_id, r.version")).all()
    found, ties = {}, set()
    for post_id, author_id, body in rows:
        for name in NAMED.findall(body or ""):
            image_id = found.setdefault(name, (len(found) + 1, author_id))[0]
            ties.add((image_id, post_id))
    if not found:
        return
    now = datetime.now(UTC)
    op.bulk_insert(images, [{"id": i, "stored_name": name, "uploader_id": author,
                             "created_at": now} for name, (i, author) in found.items()])
    op.bulk_insert(uses, [{"image_id": i, "post_id": p} for i, p in sorted(ties)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('forum_images_id_seq', (SELECT max(id) FROM forum_images))")


def downgrade():
    op.drop_table('forum_image_uses')
    op.drop_table('forum_images')

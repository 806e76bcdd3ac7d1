"""Posts carry their topic's group; topics and posts indexed by group and time; later versions

Revision ID: 5e8f2a3c4b61
Revises: 4d7e1c2b9a30
Create Date: 2026-11-26 08:20:00

The home page's "latest in your groups" walked every post newest first until it
found a few in the member's groups: for a member of quiet groups, the whole table
(670 ms at 500,000 posts on SQLite). With the group on the post and an index on
(group_id, created_at, id), each of the member's groups is one short index seek.
The feed's "new versions" (files replacing an earlier one) get a partial index:
found through every visible work instead, they cost 45 ms at 50,000 documents.
"""
import sqlalchemy as sa
from alembic import op

revision = '5e8f2a3c4b61'
down_revision = '4d7e1c2b9a30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum_posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
    op.execute("UPDATE forum_posts SET group_id = (SELECT forum_topics.group_id FROM "
               "forum_topics WHERE forum_topics.id = forum_posts.topic_id)")
    op.create_index('ix_forum_posts_group_created', 'forum_posts',
                    ['group_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_forum_topics_group_created', 'forum_topics',
                    ['group_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_library_versions_later', 'library_versions', ['created_at', 'id'],
                    unique=False, sqlite_where=sa.text('number > 1'),
                    postgresql_where=sa.text('number > 1'))


def downgrade():
    op.drop_index('ix_library_versions_later', table_name='library_versions')
    op.drop_index('ix_forum_topics_group_created', table_name='forum_topics')
    op.drop_index('ix_forum_posts_group_created', table_name='forum_posts')
    with op.batch_alter_table('forum_posts', schema=None) as batch_op:
        batch_op.drop_column('group_id')

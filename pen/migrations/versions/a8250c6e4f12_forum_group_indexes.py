"""Forum indexes: a category's visible topics counted from the listing index alone; the
"my groups" indexes hold group rows only (SQLite read every public topic through them);
"latest" across categories walked in order instead of sorting every topic

Revision ID: a8250c6e4f12
Revises: a8241c6e4f11
Create Date: 2026-12-06 20:45:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a8250c6e4f12'
down_revision = 'a8241c6e4f11'
branch_labels = None
depends_on = None

GROUP_ROWS_ONLY = {"sqlite_where": sa.text("group_id IS NOT NULL"),
                   "postgresql_where": sa.text("group_id IS NOT NULL")}
LISTING = ['category_id', 'deleted', 'pinned', 'last_post_at', 'id']
SOLVED_LISTING = ['category_id', 'deleted', 'solved', 'pinned', 'last_post_at', 'id']
GROUP_CREATED = ['group_id', 'created_at', 'id']
LATEST = ['pinned', 'last_post_at', 'id', 'deleted', 'group_id']


def _replace(name: str, table: str, columns: list, **options) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns, unique=False, **options)


def upgrade():
    op.drop_index('ix_forum_topics_group_id', table_name='forum_topics')
    _replace('ix_forum_topics_listing', 'forum_topics', [*LISTING, 'group_id'])
    _replace('ix_forum_topics_solved_listing', 'forum_topics', [*SOLVED_LISTING, 'group_id'])
    _replace('ix_forum_topics_group_created', 'forum_topics', GROUP_CREATED, **GROUP_ROWS_ONLY)
    _replace('ix_forum_posts_group_created', 'forum_posts', GROUP_CREATED, **GROUP_ROWS_ONLY)
    op.create_index('ix_forum_topics_latest', 'forum_topics', LATEST, unique=False)


def downgrade():
    op.drop_index('ix_forum_topics_latest', table_name='forum_topics')
    _replace('ix_forum_posts_group_created', 'forum_posts', GROUP_CREATED)
    _replace('ix_forum_topics_group_created', 'forum_topics', GROUP_CREATED)
    _replace('ix_forum_topics_solved_listing', 'forum_topics', SOLVED_LISTING)
    _replace('ix_forum_topics_listing', 'forum_topics', LISTING)
    op.create_index('ix_forum_topics_group_id', 'forum_topics', ['group_id'], unique=False)

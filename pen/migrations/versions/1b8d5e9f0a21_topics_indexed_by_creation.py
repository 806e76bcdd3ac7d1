"""Topics indexed by creation, for the home activity feed

Revision ID: 1b8d5e9f0a21
Revises: f1b6c3d7e8f9
Create Date: 2026-11-26 02:35:00

"""
from alembic import op

revision = '1b8d5e9f0a21'
down_revision = 'f1b6c3d7e8f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.create_index('ix_forum_topics_created', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_topics_created')

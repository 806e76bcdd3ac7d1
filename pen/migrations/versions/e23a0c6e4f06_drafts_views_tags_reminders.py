"""Drafts of topics and replies

Revision ID: e23a0c6e4f06
Revises: d23f0c6e4f05
Create Date: 2026-12-06 13:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e23a0c6e4f06'
down_revision = 'd23f0c6e4f05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum_drafts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'place', name=op.f('pk_forum_drafts'))
    )


def downgrade():
    op.drop_table('forum_drafts')

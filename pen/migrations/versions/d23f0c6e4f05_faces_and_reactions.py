"""Faces and reactions: the avatar key on users (copied from profile photos)

Revision ID: d23f0c6e4f05
Revises: 8c3f5e1d86aa
Create Date: 2026-12-06 10:15:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd23f0c6e4f05'
down_revision = '8c3f5e1d86aa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('avatar_key', sa.String(length=64), nullable=True))
    # Photos uploaded before faces existed keep showing: copy their names across.
    op.execute("UPDATE users SET avatar_key = (SELECT profiles.photo FROM profiles "
               "WHERE profiles.user_id = users.id)")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('avatar_key')

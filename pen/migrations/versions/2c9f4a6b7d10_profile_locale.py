"""The interface language a member chose

Revision ID: 2c9f4a6b7d10
Revises: 1b8d5e9f0a21
Create Date: 2026-11-26 03:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '2c9f4a6b7d10'
down_revision = '1b8d5e9f0a21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('locale')

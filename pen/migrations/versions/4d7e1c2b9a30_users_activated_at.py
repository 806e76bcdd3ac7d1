"""When each account became active, indexed for the activity feed's new members

Revision ID: 4d7e1c2b9a30
Revises: 2c9f4a6b7d10
Create Date: 2026-11-26 07:30:00

The feed listed new members by ``coalesce(invitations.accepted_at,
users.created_at)``, which no index can serve: every page sorted every active
account. The moment is now a column of its own, filled here from the same rule.
"""
import sqlalchemy as sa
from alembic import op

revision = '4d7e1c2b9a30'
down_revision = '2c9f4a6b7d10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_users_activated', ['activated_at', 'id'], unique=False)
    op.execute(
        "UPDATE users SET activated_at = coalesce("
        "(SELECT invitations.accepted_at FROM invitations WHERE invitations.user_id = users.id),"
        " users.created_at) WHERE users.status <> 'invited'")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_activated')
        batch_op.drop_column('activated_at')

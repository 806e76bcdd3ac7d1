"""Account closures: closed by the member, erased by the worker after a grace period

Revision ID: 8c3f5e1d86aa
Revises: acf6fabc159b
Create Date: 2026-12-06 06:55:49.604243
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8c3f5e1d86aa'
down_revision = 'acf6fabc159b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_closures',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erase_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_closures_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_account_closures'))
    )
    with op.batch_alter_table('account_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_closures_erase_after'), ['erase_after'], unique=False)


def downgrade():
    with op.batch_alter_table('account_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_closures_erase_after'))

    op.drop_table('account_closures')

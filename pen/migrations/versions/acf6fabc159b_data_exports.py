"""Members' data exports ("download my data"), prepared by the worker

Revision ID: acf6fabc159b
Revises: 8bf2385d7b3d
Create Date: 2026-12-06 06:45:01.371146
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'acf6fabc159b'
down_revision = '8bf2385d7b3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_data_exports_token_digest'))
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_user_id'))
        batch_op.drop_index(batch_op.f('ix_data_exports_status'))

    op.drop_table('data_exports')

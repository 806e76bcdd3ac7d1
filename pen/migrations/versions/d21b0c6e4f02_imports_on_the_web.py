"""Imports on the web (the uploaded file, its status, its report); the magazine's readers

Revision ID: d21b0c6e4f02
Revises: 8c3f5e1d86aa
Create Date: 2026-12-06 09:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd21b0c6e4f02'
down_revision = '8c3f5e1d86aa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('options_json', sa.Text(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totals_json', sa.Text(), nullable=False),
    sa.Column('report_json', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_import_jobs_newest', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_status'), ['status'], unique=False)

    op.create_table('magazine_readers',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notify', sa.Boolean(), nullable=False),
    sa.Column('wants_print', sa.Boolean(), nullable=False),
    sa.Column('print_language', sa.String(length=8), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_magazine_readers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_magazine_readers'))
    )
    with op.batch_alter_table('magazine_readers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_magazine_readers_notify'), ['notify'], unique=False)
        batch_op.create_index(batch_op.f('ix_magazine_readers_wants_print'), ['wants_print'], unique=False)


def downgrade():
    with op.batch_alter_table('magazine_readers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_magazine_readers_wants_print'))
        batch_op.drop_index(batch_op.f('ix_magazine_readers_notify'))

    op.drop_table('magazine_readers')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_status'))
        batch_op.drop_index('ix_import_jobs_newest')
        batch_op.drop_index(batch_op.f('ix_import_jobs_created_by_id'))

    op.drop_table('import_jobs')

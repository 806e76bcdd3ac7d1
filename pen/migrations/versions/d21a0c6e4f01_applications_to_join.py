"""Applications to join PEN and the Secretariat's questions about them

Revision ID: d21a0c6e4f01
Revises: d27e0c6e4f04
Create Date: 2026-12-06 09:22:12.490910
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd21a0c6e4f01'
down_revision = 'd27e0c6e4f04'
branch_labels = None
depends_on = None

OPEN_WHERE = "status IN ('unconfirmed', 'waiting', 'info_requested')"


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('person_key', sa.String(length=203), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('organisation_type', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('convention_role', sa.String(length=16), nullable=False),
    sa.Column('expertise_ids', sa.JSON(), nullable=False),
    sa.Column('expertise_text', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('group_ids', sa.JSON(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('duplicates', sa.JSON(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_message', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_applications_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_applications_token_digest'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_confirmed_at'), ['confirmed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_flagged'), ['flagged'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_organisation_type'), ['organisation_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_person_key'), ['person_key'], unique=False)
        batch_op.create_index('ix_applications_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_applications_open_email', ['email'], unique=True,
                              postgresql_where=sa.text(OPEN_WHERE),
                              sqlite_where=sa.text(OPEN_WHERE))

    op.create_table('application_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_messages_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_application_messages_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_messages'))
    )
    with op.batch_alter_table('application_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_messages_application_id'), ['application_id'], unique=False)



def downgrade():
    with op.batch_alter_table('application_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_messages_application_id'))

    op.drop_table('application_messages')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('uq_applications_open_email')
        batch_op.drop_index(batch_op.f('ix_applications_user_id'))
        batch_op.drop_index('ix_applications_status_created')
        batch_op.drop_index(batch_op.f('ix_applications_person_key'))
        batch_op.drop_index(batch_op.f('ix_applications_organisation_type'))
        batch_op.drop_index(batch_op.f('ix_applications_flagged'))
        batch_op.drop_index(batch_op.f('ix_applications_email'))
        batch_op.drop_index(batch_op.f('ix_applications_country'))
        batch_op.drop_index(batch_op.f('ix_applications_confirmed_at'))

    op.drop_table('applications')

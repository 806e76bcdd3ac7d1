"""Designations (OCP, NFP, DNA) recorded by the Secretariat, and members' requests

Revision ID: 27a4b81060f3
Revises: 7a3c5e9d1f20
Create Date: 2026-12-06 06:00:24.258201

Until now a member made themselves an official contact point by choosing it on their
profile. Those self-declared values become pending requests for the Secretariat to
verify, not designations: the profile's role is cleared (it is now derived from the
designations in force) and the request keeps the role and the profile's country.
The downgrade puts the pending, never-decided values back on the profiles.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

KINDS = ("ocp", "nfp", "dna")
NOTE = "Self-declared on the profile before designations were verified by the Secretariat."


# revision identifiers, used by Alembic.
revision = '27a4b81060f3'
down_revision = '7a3c5e9d1f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('designations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_designations_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_designations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designations'))
    )
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.create_index('ix_designations_country_kind', ['country', 'kind', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_designations_user_id'), ['user_id'], unique=False)

    op.create_table('designation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('designation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_designation_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['designation_id'], ['designations.id'], name=op.f('fk_designation_requests_designation_id_designations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_designation_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designation_requests'))
    )
    with op.batch_alter_table('designation_requests', schema=None) as batch_op:
        batch_op.create_index('ix_designation_requests_status', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_designation_requests_user_id'), ['user_id'], unique=False)

    _self_declared_to_requests()


def _self_declared_to_requests():
    """Each profile's self-declared OCP/NFP/DNA becomes a pending request; the role is
    cleared from the profile."""
    profiles = sa.table("profiles", sa.column("user_id", sa.Integer),
                        sa.column("country", sa.String), sa.column("convention_role", sa.String))
    requests = sa.table("designation_requests", sa.column("user_id", sa.Integer),
                        sa.column("kind", sa.String), sa.column("country", sa.String),
                        sa.column("justification", sa.Text), sa.column("status", sa.String),
                        sa.column("created_at", sa.DateTime(timezone=True)),
                        sa.column("decision_note", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(profiles.c.user_id, profiles.c.country,
                                  profiles.c.convention_role)
                        .where(profiles.c.convention_role.in_(KINDS))).all()
    now = datetime.now(UTC)
    if rows:
        bind.execute(requests.insert(), [
            {"user_id": r.user_id, "kind": r.convention_role, "country": r.country,
             "justification": NOTE, "status": "pending", "created_at": now,
             "decision_note": ""} for r in rows])
    bind.execute(profiles.update().where(profiles.c.convention_role.in_(KINDS))
                 .values(convention_role=None))


def downgrade():
    op.execute("UPDATE profiles SET convention_role = (SELECT r.kind FROM designation_requests r"
               " WHERE r.user_id = profiles.user_id AND r.status = 'pending' AND r.justification"
               f" = '{NOTE}' ORDER BY r.id LIMIT 1) WHERE convention_role IS NULL")
    with op.batch_alter_table('designation_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designation_requests_user_id'))
        batch_op.drop_index('ix_designation_requests_status')

    op.drop_table('designation_requests')
    with op.batch_alter_table('designations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_designations_user_id'))
        batch_op.drop_index('ix_designations_country_kind')

    op.drop_table('designations')

"""The watch: incidents (one open per check) and hourly health samples

Revision ID: d27e0c6e4f04
Revises: d21b0c6e4f02
Create Date: 2026-12-06 09:20:49.297484

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd27e0c6e4f04'
down_revision = 'd21b0c6e4f02'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('monitoring_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_incidents'))
    )
    with op.batch_alter_table('monitoring_incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_incidents_cleared_at'), ['cleared_at'], unique=False)
        batch_op.create_index('uq_monitoring_incidents_open_name', ['name'], unique=True, sqlite_where=sa.text('cleared_at IS NULL'), postgresql_where=sa.text('cleared_at IS NULL'))

    op.create_table('monitoring_samples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_samples'))
    )
    with op.batch_alter_table('monitoring_samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_samples_taken_at'), ['taken_at'], unique=False)




def downgrade():
    
    with op.batch_alter_table('monitoring_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_samples_taken_at'))

    op.drop_table('monitoring_samples')
    with op.batch_alter_table('monitoring_incidents', schema=None) as batch_op:
        batch_op.drop_index('uq_monitoring_incidents_open_name', sqlite_where=sa.text('cleared_at IS NULL'), postgresql_where=sa.text('cleared_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_monitoring_incidents_cleared_at'))

    op.drop_table('monitoring_incidents')


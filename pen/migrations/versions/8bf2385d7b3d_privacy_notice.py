"""The privacy notice administrators edit, linked from every page and the invitation

Revision ID: 8bf2385d7b3d
Revises: 94c6624594e5
Create Date: 2026-12-06 06:35:48.081123
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8bf2385d7b3d'
down_revision = '94c6624594e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_privacy_notice_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notice'))
    )


def downgrade():
    op.drop_table('privacy_notice')

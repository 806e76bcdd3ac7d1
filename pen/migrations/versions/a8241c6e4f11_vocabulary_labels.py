"""Vocabulary labels: each term of a list members see (expertise, organisation types,
forum categories and tags, award categories…) in every language of the interface

Revision ID: a8241c6e4f11
Revises: a8230c6e4f10
Create Date: 2026-12-06 17:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a8241c6e4f11'
down_revision = 'a8230c6e4f10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vocabulary_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vocabulary_labels')),
    sa.UniqueConstraint('kind', 'key', 'locale', name=op.f('uq_vocabulary_labels_kind_key_locale'))
    )


def downgrade():
    op.drop_table('vocabulary_labels')

"""The search outbox becomes a change log every server follows into its own index

Revision ID: 7a3c5e9d1f20
Revises: 5e8f2a3c4b61
Create Date: 2026-12-06 06:40:00

One shared index folder cannot serve several app servers (Whoosh's locks and
memory maps are for local disks). Each server now keeps its own index and
follows ``search_log``, recording how far in ``search_replicas``; rows are
pruned once every live server has passed them (``search_log_pruned`` marks how
far, so a server left behind rebuilds). Changes still waiting in the old outbox
are carried over; no server has a position yet, so each rebuilds once.
"""
import sqlalchemy as sa
from alembic import op

revision = '7a3c5e9d1f20'
down_revision = '5e8f2a3c4b61'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.BigInteger(), nullable=False),
        sa.Column('op', sa.String(length=8), nullable=False),
        sa.Column('txid', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_log')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_search_log_created_at', 'search_log', ['created_at'])
    op.create_index('ix_search_log_kind_id', 'search_log', ['kind', 'id'])
    op.create_index('ix_search_log_kind_txid_id', 'search_log', ['kind', 'txid', 'id'])
    op.create_table(
        'search_log_pruned',
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('pruned_key', sa.BigInteger(), nullable=False),
        sa.Column('pruned_id', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('kind', name=op.f('pk_search_log_pruned')),
    )
    op.create_table(
        'search_replicas',
        sa.Column('replica', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('applied_key', sa.BigInteger(), nullable=False),
        sa.Column('applied_id', sa.BigInteger(), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('replica', 'kind', name=op.f('pk_search_replicas')),
    )
    txid = ("pg_current_xact_id()::text::bigint"
            if op.get_bind().dialect.name == "postgresql" else "NULL")
    op.execute("INSERT INTO search_log (kind, object_id, op, txid, created_at) "
               f"SELECT kind, object_id, op, {txid}, created_at FROM search_outbox ORDER BY id")
    op.drop_index('ix_search_outbox_kind_object', table_name='search_outbox')
    op.drop_table('search_outbox')


def downgrade():
    op.create_table(
        'search_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('object_id', sa.BigInteger(), nullable=False),
        sa.Column('op', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox')),
    )
    op.create_index('ix_search_outbox_kind_object', 'search_outbox', ['kind', 'object_id'])
    op.execute("INSERT INTO search_outbox (kind, object_id, op, created_at, attempts) "
               "SELECT kind, object_id, op, created_at, 0 FROM search_log ORDER BY id")
    op.drop_table('search_replicas')
    op.drop_table('search_log_pruned')
    op.drop_index('ix_search_log_kind_txid_id', table_name='search_log')
    op.drop_index('ix_search_log_kind_id', table_name='search_log')
    op.drop_index('ix_search_log_created_at', table_name='search_log')
    op.drop_table('search_log')

"""Drafts of topics and replies, topic views (count and batches), tags on topics, reminder days on bookmarks

Revision ID: e23a0c6e4f06
Revises: d23f0c6e4f05
Create Date: 2026-12-06 13:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e23a0c6e4f06'
down_revision = 'd23f0c6e4f05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forum_drafts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_drafts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'place', name=op.f('pk_forum_drafts'))
    )

    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('view_count', sa.Integer(), server_default='0',
                                      nullable=False))
    op.create_table('forum_topic_view_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_topic_view_batches_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_topic_view_batches'))
    )
    op.create_table('forum_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_forum_tags_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_forum_tags_slug'))
    )
    op.create_table('forum_topic_tags',
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['forum_tags.id'], name=op.f('fk_forum_topic_tags_tag_id_forum_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_topic_tags_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic_id', 'tag_id', name=op.f('pk_forum_topic_tags'))
    )
    with op.batch_alter_table('forum_topic_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_topic_tags_tag_id'), ['tag_id'], unique=False)

    for table in ('forum_topic_bookmarks', 'forum_post_bookmarks'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_remind_at'), ['remind_at'], unique=False)


def downgrade():
    for table in ('forum_topic_bookmarks', 'forum_post_bookmarks'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_remind_at'))
            batch_op.drop_column('remind_at')
    with op.batch_alter_table('forum_topic_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_topic_tags_tag_id'))
    op.drop_table('forum_topic_tags')
    op.drop_table('forum_tags')
    op.drop_table('forum_topic_view_batches')
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.drop_column('view_count')
    op.drop_table('forum_drafts')

"""Faces, reactions, bookmarks: the avatar key on users (copied from profile photos),
reactions to posts, bookmarks of topics and posts

Revision ID: d23f0c6e4f05
Revises: d22c0c6e4f03
Create Date: 2026-12-06 10:15:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd23f0c6e4f05'
down_revision = 'd22c0c6e4f03'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('avatar_key', sa.String(length=64), nullable=True))
    # Photos uploaded before faces existed keep showing: copy their names across.
    op.execute("UPDATE users SET avatar_key = (SELECT profiles.photo FROM profiles "
               "WHERE profiles.user_id = users.id)")
    op.create_table('forum_reactions',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_reactions_post_id_forum_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'user_id', 'kind', name=op.f('pk_forum_reactions'))
    )
    with op.batch_alter_table('forum_reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_reactions_user_id'), ['user_id'], unique=False)
    op.create_table('forum_topic_bookmarks',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['forum_topics.id'], name=op.f('fk_forum_topic_bookmarks_topic_id_forum_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_topic_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'topic_id', name=op.f('pk_forum_topic_bookmarks'))
    )
    with op.batch_alter_table('forum_topic_bookmarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_topic_bookmarks_topic_id'), ['topic_id'], unique=False)
    op.create_table('forum_post_bookmarks',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['forum_posts.id'], name=op.f('fk_forum_post_bookmarks_post_id_forum_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forum_post_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'post_id', name=op.f('pk_forum_post_bookmarks'))
    )
    with op.batch_alter_table('forum_post_bookmarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_post_bookmarks_post_id'), ['post_id'], unique=False)


def downgrade():
    for table, column in (('forum_post_bookmarks', 'post_id'),
                          ('forum_topic_bookmarks', 'topic_id')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
    with op.batch_alter_table('forum_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_reactions_user_id'))
    op.drop_table('forum_reactions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('avatar_key')

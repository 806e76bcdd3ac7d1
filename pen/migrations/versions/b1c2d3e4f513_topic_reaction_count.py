"""Topics keep the count of reactions to their visible posts (a topic list read every post
of a long topic to count them)

Revision ID: b1c2d3e4f513
Revises: a8250c6e4f12
Create Date: 2026-12-07 06:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b1c2d3e4f513'
down_revision = 'a8250c6e4f12'
branch_labels = None
depends_on = None

# Reactions to posts every member sees (neither deleted nor hidden), as recount_topic counts.
BACKFILL = sa.text("""
    UPDATE forum_topics SET reaction_count = (
        SELECT count(*) FROM forum_posts
        JOIN forum_reactions ON forum_reactions.post_id = forum_posts.id
        WHERE forum_posts.topic_id = forum_topics.id
          AND forum_posts.deleted_at IS NULL AND forum_posts.hidden_at IS NULL)
    WHERE forum_topics.id IN (
        SELECT forum_posts.topic_id FROM forum_reactions
        JOIN forum_posts ON forum_posts.id = forum_reactions.post_id)
""")


def upgrade():
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reaction_count', sa.Integer(), server_default='0',
                                      nullable=False))
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('forum_topics', schema=None) as batch_op:
        batch_op.drop_column('reaction_count')

"""library: works, language editions, versions with extracted text

Revision ID: c8e3f0a4b5c6
Revises: b7d2e9f3a4b5
Create Date: 2026-11-26 00:40:05.821461

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e3f0a4b5c6'
down_revision = 'b7d2e9f3a4b5'
branch_labels = None
depends_on = None


def upgrade():
    # Works, their language editions, each edition's versions with their extracted text.
    op.create_table('library_works',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=40), nullable=False),
    sa.Column('authors', sa.String(length=300), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('access', sa.String(length=10), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_library_works_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_library_works_group_id_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_works'))
    )
    with op.batch_alter_table('library_works', schema=None) as batch_op:
        batch_op.create_index('ix_library_works_access', ['access', 'group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_works_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_works_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_works_doc_type'), ['doc_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_works_year'), ['year'], unique=False)

    op.create_table('library_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_library_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['work_id'], ['library_works.id'], name=op.f('fk_library_documents_work_id_library_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_documents')),
    sa.UniqueConstraint('work_id', 'language', name=op.f('uq_library_documents_work_id_language'))
    )
    with op.batch_alter_table('library_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_documents_language'), ['language'], unique=False)
        batch_op.create_index('ix_library_documents_newest', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_documents_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('library_work_topics',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('expertise_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expertise_id'], ['expertise_areas.id'], name=op.f('fk_library_work_topics_expertise_id_expertise_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['library_works.id'], name=op.f('fk_library_work_topics_work_id_library_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'expertise_id', name=op.f('pk_library_work_topics'))
    )
    with op.batch_alter_table('library_work_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_work_topics_expertise_id'), ['expertise_id'], unique=False)

    op.create_table('library_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('extraction', sa.String(length=10), nullable=False),
    sa.Column('extraction_error', sa.String(length=300), nullable=False),
    sa.Column('extraction_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('pages_json', sa.Text(), nullable=True),
    sa.Column('text_truncated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['library_documents.id'], name=op.f('fk_library_versions_document_id_library_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_library_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_versions')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_library_versions_document_id_number'))
    )
    with op.batch_alter_table('library_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_versions_extraction'), ['extraction'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_versions_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_versions_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    # ### end Alembic commands ###




def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('library_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_versions_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_versions_sha256'))
        batch_op.drop_index(batch_op.f('ix_library_versions_extraction'))

    op.drop_table('library_versions')
    with op.batch_alter_table('library_work_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_work_topics_expertise_id'))

    op.drop_table('library_work_topics')
    with op.batch_alter_table('library_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_documents_uploaded_by_id'))
        batch_op.drop_index('ix_library_documents_newest')
        batch_op.drop_index(batch_op.f('ix_library_documents_language'))

    op.drop_table('library_documents')
    with op.batch_alter_table('library_works', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_works_year'))
        batch_op.drop_index(batch_op.f('ix_library_works_doc_type'))
        batch_op.drop_index(batch_op.f('ix_library_works_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_works_country'))
        batch_op.drop_index('ix_library_works_access')

    op.drop_table('library_works')
    # ### end Alembic commands ###

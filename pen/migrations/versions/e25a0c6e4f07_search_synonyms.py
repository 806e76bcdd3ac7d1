"""Search synonyms: the administrators' list of terms a search treats as one, seeded with
the network's core terms in its six languages

Revision ID: e25a0c6e4f07
Revises: e23a0c6e4f06
Create Date: 2026-12-06 13:30:00
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e25a0c6e4f07'
down_revision = 'e23a0c6e4f06'
branch_labels = None
depends_on = None

# A copy of pen.search.synonyms.SEED as it was when this revision was written.
SEED = (
    ("PCB", "PCBs", "PCB's", "polychlorinated biphenyls", "polychlorinated biphenyl",
     "polychlorobiphényles", "biphényles polychlorés", "bifenilos policlorados", "ПХБ",
     "полихлорированные бифенилы", "多氯联苯", "بي سي بي",
     "ثنائيات الفينيل متعددة الكلور", "ثنائي الفينيل متعدد الكلور"),
    ("askarel", "askarels", "askareles", "аскарель", "أسكاريل", "Pyralène", "Piraleno",
     "пирален", "بيرالين", "Sovol", "совол", "سوفول", "Sovtol", "совтол", "Aroclor",
     "арохлор", "阿罗克洛", "أروكلور", "Clophen", "Kanechlor", "Fenclor", "Pyranol", "Delor"),
    ("POPs", "persistent organic pollutants", "polluants organiques persistants",
     "contaminantes orgánicos persistentes", "СОЗ", "стойкие органические загрязнители",  # noqa: RUF001
     "持久性有机污染物", "الملوثات العضوية الثابتة"),
    ("NIP", "NIPs", "national implementation plan", "PNM", "plan national de mise en œuvre",
     "plan nacional de aplicación", "НПВ", "национальный план выполнения", "国家实施计划"),
    ("ESM", "environmentally sound management", "gestion écologiquement rationnelle",
     "gestión ambientalmente racional", "экологически обоснованное регулирование",
     "环境无害化管理", "الإدارة السليمة بيئيا"),
    ("GC-ECD", "gas chromatography", "chromatographie en phase gazeuse",
     "cromatografía de gases", "газовая хроматография", "气相色谱"),
    ("استكهولم", "استوكهولم", "ستوكهولم"),
)


def upgrade():
    table = op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(table, [{"terms": "\n".join(group), "updated_at": now} for group in SEED])


def downgrade():
    op.drop_table('search_synonyms')

"""text analyses keyed by text hash, with form facets

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 08:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('text_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('facets', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_text_analyses_hash_version', ['text_hash', 'analyzer_version'], unique=False)


def downgrade():
    with op.batch_alter_table('text_analyses', schema=None) as batch_op:
        batch_op.drop_index('ix_text_analyses_hash_version')
        batch_op.drop_column('facets')
        batch_op.drop_column('text_hash')

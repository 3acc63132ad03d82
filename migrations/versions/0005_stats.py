"""reading statistics: daily views, trending lists, flushed batches, search usage

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'views_daily',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'target_id', 'day'),
    )
    op.create_index('ix_views_daily_day_kind', 'views_daily', ['day', 'kind', 'target_id', 'views'], unique=False)
    op.create_table(
        'trending',
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('work_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['work_id'], ['works.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('period', 'language', 'rank'),
    )
    op.create_index(op.f('ix_trending_work_id'), 'trending', ['work_id'], unique=False)
    op.create_table(
        'stats_flushes',
        sa.Column('batch', sa.String(length=64), nullable=False),
        sa.Column('flushed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('batch'),
    )
    op.create_index(op.f('ix_stats_flushes_flushed_at'), 'stats_flushes', ['flushed_at'], unique=False)
    op.create_table(
        'search_queries_daily',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('query', sa.String(length=200), nullable=False),
        sa.Column('searches', sa.Integer(), nullable=False),
        sa.Column('empty', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'query'),
    )


def downgrade():
    op.drop_table('search_queries_daily')
    op.drop_index(op.f('ix_stats_flushes_flushed_at'), table_name='stats_flushes')
    op.drop_table('stats_flushes')
    op.drop_index(op.f('ix_trending_work_id'), table_name='trending')
    op.drop_table('trending')
    op.drop_index('ix_views_daily_day_kind', table_name='views_daily')
    op.drop_table('views_daily')

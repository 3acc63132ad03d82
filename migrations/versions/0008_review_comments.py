"""review comments on single lines of a contribution

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-02 11:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review_comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contribution_id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('line_key', sa.String(length=100), nullable=False),
        sa.Column('revision_number', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_comments_author_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'],
                                name=op.f('fk_review_comments_contribution_id_contributions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'],
                                name=op.f('fk_review_comments_resolved_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['thread_id'], ['review_comments.id'],
                                name=op.f('fk_review_comments_thread_id_review_comments'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments')),
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index('ix_review_comments_contribution_line', ['contribution_id', 'line_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comments_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comments_resolved_by_id'), ['resolved_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comments_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_review_comments_author_id'))
        batch_op.drop_index(batch_op.f('ix_review_comments_thread_id'))
        batch_op.drop_index('ix_review_comments_contribution_line')
    op.drop_table('review_comments')

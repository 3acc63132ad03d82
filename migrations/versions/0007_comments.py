"""comments: collection target, edits, moderation, reply counts; mail preference

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.alter_column('work_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('collection_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key(op.f('fk_comments_collection_id_collections'), 'collections', ['collection_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_foreign_key(op.f('fk_comments_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index('ix_comments_collection_created', ['collection_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_hidden_by_id'), ['hidden_by_id'], unique=False)
        batch_op.create_check_constraint(op.f('ck_comments_target'), 'work_id IS NOT NULL OR collection_id IS NOT NULL')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_mail', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('comment_mail')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_comments_target'), type_='check')
        batch_op.drop_index(batch_op.f('ix_comments_hidden_by_id'))
        batch_op.drop_index('ix_comments_collection_created')
        batch_op.drop_constraint(op.f('fk_comments_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_comments_collection_id_collections'), type_='foreignkey')
        batch_op.drop_column('reply_count')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('collection_id')
        batch_op.alter_column('work_id', existing_type=sa.Integer(), nullable=False)

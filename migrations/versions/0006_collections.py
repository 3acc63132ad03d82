"""collections, likes of any kind, stored like/bookmark/item counters, featured collections

Likes become (user, target kind, target id): the old (user, work) rows are copied as
likes of works. Items of a collection may share positions while being reordered (the
service renumbers them), so their unique (collection, position) goes.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 11:27:42

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index('ix_bookmarks_user_updated', ['user_id', 'updated_at'], unique=False)

    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_collection_items_collection_id_position'), type_='unique')
        batch_op.create_index('ix_collection_items_collection_position', ['collection_id', 'position'], unique=False)

    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('featured_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_collections_featured_at'), ['featured_at'], unique=False)
        batch_op.create_index('ix_collections_public_created', ['is_public', 'created_at'], unique=False)
        batch_op.create_index('ix_collections_public_likes', ['is_public', 'like_count'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))

    _new_likes_table()

    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('bookmark_count', sa.Integer(), server_default='0', nullable=False))

    for table, kind in (("works", "work"), ("translations", "translation")):
        op.execute(f"UPDATE {table} SET like_count = (SELECT count(*) FROM likes "
                   f"WHERE likes.target_kind = '{kind}' AND likes.target_id = {table}.id)")
    op.execute("UPDATE works SET bookmark_count = (SELECT count(*) FROM bookmarks WHERE bookmarks.work_id = works.id)")
    op.execute("UPDATE collections SET item_count = (SELECT count(*) FROM collection_items "
               "WHERE collection_items.collection_id = collections.id)")


def _new_likes_table():
    # read, drop, create, write back: renaming would keep the old constraint names (PostgreSQL)
    rows = op.get_bind().execute(sa.text("SELECT user_id, work_id, created_at FROM likes")).all()
    op.drop_table('likes')
    likes = op.create_table('likes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("target_kind IN ('work','translation','collection','comment')",
                       name=op.f('ck_likes_target_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_likes_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_likes_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_likes')),
    sa.UniqueConstraint('user_id', 'target_kind', 'target_id', name=op.f('uq_likes_user_id_target_kind_target_id'))
    )
    with op.batch_alter_table('likes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_likes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_likes_work_id'), ['work_id'], unique=False)
        batch_op.create_index('ix_likes_target', ['target_kind', 'target_id'], unique=False)
        batch_op.create_index('ix_likes_user_created', ['user_id', 'created_at'], unique=False)
    op.bulk_insert(likes, [{"user_id": u, "target_kind": "work", "target_id": w, "work_id": w, "created_at": c}
                           for u, w, c in rows])


def _old_likes_table():
    rows = op.get_bind().execute(sa.text(
        "SELECT user_id, work_id, created_at FROM likes WHERE target_kind = 'work'")).all()
    op.drop_table('likes')
    likes = op.create_table('likes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_likes_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_likes_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'work_id', name=op.f('pk_likes'))
    )
    with op.batch_alter_table('likes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_likes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_likes_work_id'), ['work_id'], unique=False)
    op.bulk_insert(likes, [{"user_id": u, "work_id": w, "created_at": c} for u, w, c in rows])


def downgrade():
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_column('bookmark_count')
        batch_op.drop_column('like_count')

    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.drop_column('like_count')

    _old_likes_table()

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('like_count')

    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index('ix_collections_public_likes')
        batch_op.drop_index('ix_collections_public_created')
        batch_op.drop_index(batch_op.f('ix_collections_featured_at'))
        batch_op.drop_column('featured_at')
        batch_op.drop_column('like_count')
        batch_op.drop_column('item_count')

    with op.batch_alter_table('collection_items', schema=None) as batch_op:
        batch_op.drop_index('ix_collection_items_collection_position')
        batch_op.create_unique_constraint(batch_op.f('uq_collection_items_collection_id_position'), ['collection_id', 'position'])

    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.drop_index('ix_bookmarks_user_updated')


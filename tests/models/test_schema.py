"""The models and the migrations describe the same schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from tercul.extensions import db


def test_migrations_match_models(session):
    context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
    diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_foreign_key_is_indexed(session):
    """A foreign key column is the first column of an index or of the primary key."""
    inspector = inspect(session.connection())
    missing = []
    for table in db.metadata.sorted_tables:
        leading = {idx["column_names"][0] for idx in inspector.get_indexes(table.name)}
        leading |= {uq["column_names"][0] for uq in inspector.get_unique_constraints(table.name)}
        pk = inspector.get_pk_constraint(table.name)["constrained_columns"]
        if pk:
            leading.add(pk[0])
        for fk in table.foreign_keys:
            if fk.parent.name not in leading:
                missing.append(f"{table.name}.{fk.parent.name}")
    assert missing == []

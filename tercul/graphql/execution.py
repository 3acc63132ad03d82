"""The execution context: synchronous DataLoader batching that also reports errors.

graphql-sync-dataloaders 0.1.1 calls ``handle_field_error(error, type)`` while
graphql-core 3.2.14 requires the field's path too; without this a resolver error
inside a batched field becomes a crash instead of a field error.
"""
from __future__ import annotations

from graphql.pyutils import Path
from graphql_sync_dataloaders import DeferredExecutionContext


class ExecutionContext(DeferredExecutionContext):
    def handle_field_error(self, error, return_type, path=None):
        if path is None:
            for key in error.path or ():
                path = Path(path, key, None)
        return super().handle_field_error(error, return_type, path)

"""The domain: every rule lives here, called by views, GraphQL, actors and the CLI."""

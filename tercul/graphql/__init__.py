"""The GraphQL API at /graphql.

Layout: ``view.py`` (HTTP: parsing, limits, auth, errors, GraphiQL), ``schema.py``
(assembles the areas), ``core.py`` (errors, context, payloads), ``pagination.py``
(Relay connections), ``limits.py`` (depth, cost, aliases), ``loaders.py``
(DataLoaders), and one module per area under ``areas/``. Resolvers only translate:
they call the same services as the web pages.
"""

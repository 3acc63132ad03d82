"""One module per area of the API; each exposes ``Query`` and ``Mutation`` mixins.

Adding an area: write ``areas/<name>.py`` with ``class Query`` / ``class Mutation``
(graphene ObjectTypes holding fields and resolvers that call services), then list
the module in :data:`tercul.graphql.schema.AREAS`. See ``api/README.md``.
"""

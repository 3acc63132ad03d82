"""The schema: the Query and Mutation of every area, merged."""
from __future__ import annotations

from functools import lru_cache

import graphene

from .areas import accounts, analysis, catalog, comments, contributions, editing, reading, search, social, stats

# the areas of the API, in the order their fields appear
AREAS = [catalog, reading, search, analysis, accounts, contributions, editing, social, comments, stats]


@lru_cache(maxsize=1)
def get_schema() -> graphene.Schema:
    query = type("Query", tuple(area.Query for area in AREAS if area.Query._meta.fields), {
        "__doc__": "Everything that can be read: works, translations, authors, texts, accounts, search."})
    mutations = [area.Mutation for area in AREAS if area.Mutation._meta.fields]
    mutation = type("Mutation", tuple(mutations), {
        "__doc__": "Everything that changes data. Send mutations with POST and an access token."}) if mutations else None
    return graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)


def schema_sdl() -> str:
    """The schema in SDL, as written to ``schema.graphql``."""
    return str(get_schema()).rstrip() + "\n"

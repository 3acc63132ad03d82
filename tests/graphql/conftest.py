import pytest


@pytest.fixture
def gql(client):
    """POST a GraphQL operation; returns (status, json)."""

    def run(query, variables=None, headers=None, **kw):
        response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers or {},
                               **kw)
        return response.status_code, response.get_json()

    return run

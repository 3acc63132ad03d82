"""Search: the same parsing, filters, ranking and cache as the /search page."""
from __future__ import annotations

import graphene

from ...services import search as service
from ...services import search_links, search_status
from ..core import bad_input, enum_value
from ..pagination import connection, connection_args, paginate_pages


class SearchMode(graphene.Enum):
    """How results are ranked."""

    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"

    @property
    def description(self):
        return {"KEYWORD": "Words (BM25, stemmed, diacritics folded).",
                "SEMANTIC": "Meaning, across languages (multilingual sentence embeddings).",
                "HYBRID": "Both, weighted by `alpha` (0 = keyword only, 1 = meaning only)."}[self.name]


class SearchSort(graphene.Enum):
    """How results are sorted."""

    RELEVANCE = "relevance"
    DATE = "date"
    TITLE = "title"

    @property
    def description(self):
        return {"RELEVANCE": "Best match first.", "DATE": "Oldest first.", "TITLE": "By title."}[self.name]


class FacetValues(graphene.InputObjectType):
    """Values per facet: values of one facet combine with OR, facets with AND."""

    kind = graphene.List(graphene.NonNull(graphene.String), description="work, translation, author.")
    language = graphene.List(graphene.NonNull(graphene.String), description="Language of the text (ISO 639).")
    original_language = graphene.List(graphene.NonNull(graphene.String), description="Language of the original.")
    available = graphene.List(graphene.NonNull(graphene.String),
                              description="Works available in these languages (original or translation).")
    form = graphene.List(graphene.NonNull(graphene.String), description="poetry, prose, drama.")
    author = graphene.List(graphene.NonNull(graphene.String), description="Author slugs.")
    genre = graphene.List(graphene.NonNull(graphene.String), description="Genre slugs.")
    tag = graphene.List(graphene.NonNull(graphene.String), description="Tag slugs.")
    period = graphene.List(graphene.NonNull(graphene.String), description="Periods.")
    feature = graphene.List(graphene.NonNull(graphene.String),
                            description="Form features found by the analysis: sonnet, rhymed, iambic, free-verse, "
                                        "readability-easy (and the other readability bands).")


class SearchFilter(graphene.InputObjectType):
    """Which results to keep. Unknown values are ignored and reported in `notices`."""

    include = graphene.Field(FacetValues, description="Keep results with these values.")
    exclude = graphene.Field(FacetValues, description="Drop results with these values (NOT).")
    year_from = graphene.Int(description="Composed in or after this year.")
    year_to = graphene.Int(description="Composed in or before this year.")


class SnippetPiece(graphene.ObjectType):
    """A run of a snippet line."""

    text = graphene.String(required=True, description="The text.")
    matched = graphene.Boolean(required=True, description="True for words that matched the query (highlight them).")


class SnippetLine(graphene.ObjectType):
    """A line of the passage that matched."""

    key = graphene.String(required=True, description="The line's key: link to it in the reading view.")
    address = graphene.String(required=True,
                              description="Where the line is, for readers: `Act 1, scene 2, line 5` (`Line 12` "
                                          "in a poem, `Chapter 3, paragraph 4` in prose); show this, not the "
                                          "key. Empty when the line is no longer in the text.")
    is_hit = graphene.Boolean(required=True, description="The line that matched best.")
    pieces = graphene.List(graphene.NonNull(SnippetPiece), required=True, description="The line in runs.")

    def resolve_pieces(line, info):
        return [SnippetPiece(text=text, matched=matched) for text, matched in line.pieces]


class SearchAuthorRef(graphene.ObjectType):
    """An author of a hit."""

    slug = graphene.String(required=True, description="URL name.")
    name = graphene.String(required=True, description="Name.")


class SearchHit(graphene.ObjectType):
    """A passage of a work or translation, or an author, that matched."""

    kind = graphene.String(required=True, description="`text` (a passage) or `author`.")
    title = graphene.String(required=True, description="Title of the text, or the author's name.")
    work_title = graphene.String(description="The work's title.")
    work_slug = graphene.String(description="The work's URL name.")
    translation_key = graphene.String(description="The translation's key, null for the original.")
    language = graphene.String(description="Language of the passage.")
    original_language = graphene.String(description="Language of the work's original.")
    form = graphene.String(description="poetry, prose or drama.")
    year = graphene.Int(description="Year of composition (or birth, for an author).")
    authors = graphene.List(graphene.NonNull(SearchAuthorRef), required=True, description="The work's authors.")
    hit_key = graphene.String(description="Key of the line that matched best.")
    lines = graphene.List(graphene.NonNull(SnippetLine), required=True, description="The passage, highlighted.")
    url = graphene.String(description="Where to read it: the line in the reading view, or the author's page.")
    score = graphene.Float(required=True, description="Relevance score (higher is better; compare within a search).")
    author_slug = graphene.String(description="For an author hit: the URL name.")

    def resolve_authors(item, info):
        return [SearchAuthorRef(slug=slug, name=name) for slug, name in item.authors]

    def resolve_author_slug(item, info):
        return item.slug or None

    def resolve_url(item, info):
        return search_links.hit_url(item)  # the search page's link: with line= and the line's anchor


SearchHitConnection = connection(SearchHit, "SearchHit", "A page of search results.")


class FacetCount(graphene.ObjectType):
    """One value of a facet with its count in the current results."""

    value = graphene.String(required=True, description="The value to filter with.")
    label = graphene.String(required=True, description="How to show it.")
    count = graphene.Int(required=True, description="Results with this value.")
    selected = graphene.Boolean(required=True, description="In `include`.")
    excluded = graphene.Boolean(required=True, description="In `exclude`.")


class FacetType(graphene.ObjectType):
    """A facet of the results (language, form, author...)."""

    class Meta:
        name = "Facet"

    name = graphene.String(required=True, description="Facet name, as in `FacetValues`.")
    label = graphene.String(required=True, description="How to show it.")
    values = graphene.List(graphene.NonNull(FacetCount), required=True, description="Values with counts.")


class SearchResults(graphene.ObjectType):
    """Results of a search, with facets over the whole result set."""

    hits = graphene.Field(SearchHitConnection, required=True, description="The results, best first.",
                          **connection_args())
    facets = graphene.List(graphene.NonNull(FacetType), required=True, description="Counts per facet value.")
    notices = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="What was changed or ignored in the query or the filters.")
    exact = graphene.Boolean(required=True,
                             description="False when totals and counts are over the best matches only.")
    mode = graphene.Field(SearchMode, required=True, description="The ranking used.")
    alpha = graphene.Float(required=True, description="The keyword/meaning weight used.")
    did_you_mean = graphene.String(description="The query with the words the library does not know replaced by "
                                               "known words one edit away (the results include them); null when "
                                               "every word is known.")
    meaning_indexed = graphene.Int(required=True,
                                   description="Percent of passages that meaning search (SEMANTIC, HYBRID) covers: "
                                               "below 100 while embeddings are computed in the background.")
    indexing = graphene.String(description="While embeddings are computed: \"meaning search: 40% of passages "
                                           "indexed\"; null when search is complete.")

    def resolve_hits(results, info, **args):
        pages: dict[tuple[int, int], service.SearchPage] = {}

        def fetch(page, per_page):
            if page > service.MAX_PAGE:
                return [], results.first_page.total
            params = results.params_for(page, per_page)
            found = pages.setdefault((page, per_page), service.search(info.context.session, params))
            return found.items, found.total

        return paginate_pages(SearchHitConnection, args, fetch)

    def resolve_facets(results, info):
        return results.first_page.facets

    def resolve_notices(results, info):
        return results.first_page.params.notices

    def resolve_exact(results, info):
        return results.first_page.exact

    def resolve_mode(results, info):
        return results.first_page.params.mode

    def resolve_alpha(results, info):
        return results.first_page.params.alpha

    def resolve_did_you_mean(results, info):
        return results.first_page.suggestion

    def resolve_meaning_indexed(results, info):
        progress = search_status.embedding_progress(info.context.session)
        return progress.percent if progress else 100

    def resolve_indexing(results, info):
        progress = search_status.embedding_progress(info.context.session)
        return progress.label if progress else None


class _Results:
    """The parsed search, run once for facets; pages are run as `hits` asks."""

    def __init__(self, session, args: dict):
        self.args = args
        self.first_page = service.search(session, self.params_for(1, service.PER_PAGE))

    def params_for(self, page: int, per_page: int) -> service.SearchParams:
        params = service.parse_search_args(self.args)
        params.page, params.per_page = page, per_page
        return params


class Query(graphene.ObjectType):
    search = graphene.Field(
        SearchResults, required=True, description="Search works, translations and authors, at passage level.",
        query=graphene.String(description="Words, \"a phrase\", -excluded; empty lists everything."),
        mode=graphene.Argument(SearchMode, description="Ranking (default KEYWORD)."),
        alpha=graphene.Float(description="For HYBRID: 0 = keyword only, 1 = meaning only (default: the server's "
                             "SEARCH_ALPHA, 0.6 unless configured)."),
        filter=graphene.Argument(SearchFilter, description="Facet filters and a date range."),
        sort=graphene.Argument(SearchSort, description="Sort order (default RELEVANCE)."))

    def resolve_search(root, info, query=None, mode=None, alpha=None, filter=None, sort=None):
        if alpha is not None and not 0 <= alpha <= 1:
            raise bad_input("`alpha` must be between 0 and 1.", "alpha")
        if query is not None and len(query) > 10_000:
            raise bad_input("The query is too long (at most 10,000 characters).", "query")
        args: dict = {"q": query or "", "mode": enum_value(mode) or "keyword",
                      "sort": enum_value(sort) or "relevance"}
        if alpha is not None:
            args["alpha"] = str(alpha)
        f = filter or {}
        if f.get("year_from") is not None:
            args["from"] = str(f["year_from"])
        if f.get("year_to") is not None:
            args["to"] = str(f["year_to"])
        for bucket, prefix in ((f.get("include") or {}, ""), (f.get("exclude") or {}, "not_")):
            for facet, (param, _label) in service.FACET_PARAMS.items():
                values = bucket.get(facet)
                if values:
                    args[prefix + param] = list(values)
        return _Results(info.context.session, args)


class Mutation(graphene.ObjectType):
    pass

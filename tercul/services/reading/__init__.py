"""Reading: browsing works and authors, the home page, work pages and the parallel reading view.

Everything a reader sees is assembled here from a fixed number of queries, whatever
the number of rows, translations or lines (the tests count them). The views only
parse the request and render what these functions return.

- :mod:`.browse`: filters from the query string, facets, a page of works (also for the API);
- :mod:`.authors`: the A to Z of authors and an author's page;
- :mod:`.home`: the home page;
- :mod:`.work_page`, :mod:`.translation_page`: a work's page, one translation alone;
- :mod:`.reader`: the rows of one part of a text beside up to three translations;
- :mod:`.cards`: work cards for any list; :mod:`.pagination`, :mod:`.display`: shared pieces;
- :mod:`.page_cache`: cached counts and facets, and the names that forget them.
"""
# line_anchor is imported from here by search (hits link to lines): the anchor scheme
from ...texts.alignment import line_anchor
from .authors import AuthorCard, AuthorPage, AuthorsResult, author_page, browse_authors
from .browse import (DEFAULT_SORT, SORTS, ActiveFilter, BrowseFilters, BrowseResult, Facets, browse_facets,
                     browse_works, clean_browse_args, find_works)
from .cards import WorkCard
from .display import century_label, century_of, format_dates, language_choices, text_direction
from .home import HomePage, RecentTranslation, home_page, recent_translations
from .page_cache import (COUNT_TTL, FACETS_TTL, invalidate_library, invalidate_work, library_generation,
                         library_version)
from .pagination import MAX_PAGE_SIZE, Pagination, page_size, parse_page
from .reader import TranslationInfo
from .translation_page import TranslationPage, translation_page
from .work_page import (MAX_TRANSLATION_COLUMNS, PartOfWork, WorkPage, WorkStamp, choose_columns, work_page,
                        work_stamp)

__all__ = [
    "COUNT_TTL", "DEFAULT_SORT", "FACETS_TTL", "MAX_PAGE_SIZE", "MAX_TRANSLATION_COLUMNS", "SORTS",
    "ActiveFilter", "AuthorCard", "AuthorPage", "AuthorsResult", "BrowseFilters", "BrowseResult", "Facets",
    "HomePage", "Pagination", "PartOfWork", "RecentTranslation", "TranslationInfo", "TranslationPage", "WorkCard",
    "WorkPage", "WorkStamp",
    "author_page", "browse_authors", "browse_facets", "browse_works", "century_label", "century_of",
    "choose_columns", "clean_browse_args", "find_works", "format_dates", "home_page", "invalidate_library",
    "invalidate_work", "language_choices", "library_generation", "library_version", "line_anchor", "page_size",
    "parse_page", "recent_translations", "text_direction", "translation_page", "work_page", "work_stamp",
]

"""The domain model. Import models from here: ``from tercul.models import Work``."""
from .catalog import (FORMS, TRANSLATION_STATUSES, Author, AuthorName, Genre, Tag, Translation, Work,
                      WorkAuthor, work_genres, work_tags)
from .contributions import (CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES, Contribution, ContributionRevision,
                            ReviewComment, ReviewEvent)
from .jobs import OutboxEntry, TextAnalysis
from .stats import PERIODS, VIEW_KINDS, SearchQueryDaily, StatsFlush, TrendingEntry, ViewDaily
from .social import Bookmark, Collection, CollectionItem, Comment, Like, SavedSearch, WorkViewDaily
from .texts import AlignmentLink, TextDivision, TextLine, TextRevision
from .users import ROLES, Notification, RefreshToken, User

__all__ = [
    "FORMS", "TRANSLATION_STATUSES", "Author", "AuthorName", "Genre", "Tag", "Translation", "Work",
    "WorkAuthor", "work_genres", "work_tags", "CONTRIBUTION_KINDS", "CONTRIBUTION_STATUSES",
    "Contribution", "ContributionRevision", "ReviewComment", "ReviewEvent", "OutboxEntry", "TextAnalysis", "Bookmark",
    "Collection", "CollectionItem", "Comment", "Like", "SavedSearch", "WorkViewDaily", "AlignmentLink",
    "TextDivision", "TextLine", "TextRevision", "ROLES", "Notification", "RefreshToken", "User",
    "PERIODS", "VIEW_KINDS", "SearchQueryDaily", "StatsFlush", "TrendingEntry", "ViewDaily",
]

"""Reading statistics: view counting, trending, counts and the administrators' figures.

- :mod:`.visitors`: who is counted (robots and DNT/Sec-GPC are not) and the day's hash;
- :mod:`.buffer`: where counts wait (Redis or process memory) until the flush job;
- :mod:`.counting`: :func:`count_view`, :func:`count_search`, :func:`flush_buffer`, :func:`cleanup`;
- :mod:`.trending`: the decayed score and the job that stores the lists;
- :mod:`.sources`: the other areas' events (likes, bookmarks, comments, translations);
- :mod:`.lists`: trending pages, most and recently translated, view counts;
- :mod:`.admin`: daily series, review times and search usage for administrators.
"""
from __future__ import annotations

import threading

from .admin import SERIES, AdminStats, admin_stats, clean_days, stats_csv
from .buffer import MemoryBuffer, RedisBuffer, make_buffer
from .counting import cleanup, count_search, count_view, flush_buffer, today
from .lists import (DEFAULT_PERIOD, PERIOD_LABELS, TranslatorReads, TrendingItem, TrendingPage, WorkCounts,
                    clean_language, clean_period, most_translated, translator_reads, trending_count,
                    trending_entries, trending_page, trending_ranks, trending_stamp, trending_strip, view_totals,
                    view_totals_in_order, work_counts)
from .trending import LIST_SIZE, WEIGHTS, compute_trending, decay
from .visitors import Visit, countable, is_bot, opted_out

__all__ = [
    "DEFAULT_PERIOD", "LIST_SIZE", "PERIOD_LABELS", "SERIES", "WEIGHTS", "AdminStats", "MemoryBuffer",
    "RedisBuffer", "TranslatorReads", "TrendingItem", "TrendingPage", "Visit", "WorkCounts", "admin_stats",
    "buffer_for", "clean_days", "clean_language", "clean_period", "cleanup", "compute_trending", "count_search",
    "count_view", "countable", "decay", "flush_buffer", "is_bot", "make_buffer", "most_translated", "opted_out",
    "stats_csv", "today", "translator_reads", "trending_count", "trending_entries", "trending_page",
    "trending_ranks", "trending_stamp", "trending_strip", "view_totals", "view_totals_in_order", "work_counts",
]

_BUFFER = "tercul.stats.buffer"
_CREATING = threading.Lock()


def buffer_for(app) -> MemoryBuffer | RedisBuffer:
    """The application's view buffer (created on first use): Redis with ``REDIS_URL``, else memory."""
    buffer = app.extensions.get(_BUFFER)
    if buffer is None:
        with _CREATING:  # two first requests at once must share one buffer
            buffer = app.extensions.get(_BUFFER)
            if buffer is None:
                buffer = app.extensions[_BUFFER] = make_buffer(app.config.get("REDIS_URL"))
    return buffer

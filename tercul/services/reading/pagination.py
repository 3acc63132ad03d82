"""Page numbers from query strings and the pagination every list uses."""
from __future__ import annotations

import math
from dataclasses import dataclass

MAX_PAGE_SIZE = 100


def parse_page(raw: str | None) -> int:
    """A page number from a query string: anything but a positive whole number is page 1."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return page if 1 <= page <= 1_000_000 else 1


def page_size(configured: int | None) -> int:
    return max(1, min(int(configured or 50), MAX_PAGE_SIZE))


@dataclass
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def beyond_end(self) -> bool:
        """The page asked for is past the last one (the list is not empty)."""
        return self.total > 0 and self.page > self.pages

    @property
    def first_item(self) -> int:
        return min(self.total, self.offset + 1)

    @property
    def last_item(self) -> int:
        return min(self.total, self.offset + self.per_page)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, None for a gap: ``1 None 4 5 6 None 20``."""
        pages, current = self.pages, min(self.page, self.pages)
        shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

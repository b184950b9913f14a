"""What a search answers: one page of customers, or the one customer an exact identifier
names."""

from dataclasses import dataclass

from tui_crm.services.search.hits import SearchHit


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    offset: int = 0
    total: int = 0
    total_capped: bool = False  # `total` is a lower bound: show "1,000+"
    has_more: bool = False
    pending: bool = False  # `deep=True` could add matches found inside names
    hint: str | None = None
    elapsed_ms: float = 0.0
    count_cap: int = 1000  # the most a broad query counts before it says "1,000+"

    @property
    def total_label(self) -> str:
        shown = min(self.total, self.count_cap)
        return f"{shown:,}+" if self.total_capped and self.total else f"{self.total:,}"


@dataclass(frozen=True)
class DirectHit:
    """Enter on a full ID or phone number: the one customer, or why not."""

    customer_id: int | None
    count: int
    message: str | None = None

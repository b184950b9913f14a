"""Finding customers: one query box that recognises ID numbers, credit codes, phones,
plates and names (pinyin too), answers exact identifiers directly and pages the rest.
"""

from tui_crm.services.search.query import CREDIT_CODE, ID_NUMBER, PHONE, parse
from tui_crm.services.search.service import DirectHit, SearchHit, SearchPage, SearchService

__all__ = [
    "CREDIT_CODE",
    "ID_NUMBER",
    "PHONE",
    "DirectHit",
    "SearchHit",
    "SearchPage",
    "SearchService",
    "parse",
]

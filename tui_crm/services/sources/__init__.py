"""Where a customer came from: the source (registry, yellow pages, enterprise list, car
dealer, guarantee company, walk-in, core system) and the named list with its date."""

from tui_crm.services.sources.service import SOURCES, SourceInfo, SourceService

__all__ = ["SOURCES", "SourceInfo", "SourceService"]

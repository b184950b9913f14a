"""Real data in: the core and finance systems' nightly extracts (customers, vehicles,
policies, claims, receivables) imported from CSV or xlsx through mapping profiles, with
row-by-row validation into a rejects file, idempotent upserts by natural keys, recorded
and audited batches that a killed run resumes; a night's folder in dependency order and
the nightly run; org units from a file.

The reader, profile, rejects and batch modules are meant for other extracts too.
"""

from tui_crm.services.imports.batch import BatchSummary
from tui_crm.services.imports.columns import KINDS, LAYOUTS, Layout
from tui_crm.services.imports.nightly import FolderResult, import_folder, night_files, nightly
from tui_crm.services.imports.profile import Profile, load_profile, map_headers, shipped_profiles
from tui_crm.services.imports.reader import Table, detect_encoding, open_table
from tui_crm.services.imports.rejects import RejectsWriter, rejects_path
from tui_crm.services.imports.service import ImportResult, ImportService, Preview
from tui_crm.services.imports.units import UnitImportResult, import_units
from tui_crm.services.imports.values import RowError, upgrade_id

__all__ = [
    "KINDS",
    "LAYOUTS",
    "BatchSummary",
    "FolderResult",
    "ImportResult",
    "ImportService",
    "Layout",
    "Preview",
    "Profile",
    "RejectsWriter",
    "RowError",
    "Table",
    "UnitImportResult",
    "detect_encoding",
    "import_folder",
    "import_units",
    "load_profile",
    "map_headers",
    "night_files",
    "nightly",
    "open_table",
    "rejects_path",
    "shipped_profiles",
    "upgrade_id",
]

"""The marker a prepared book carries in `book_meta`: the preparation, the schema
revision and a digest of the reference-data files (`ready.py` reads it, `seed.py`
writes it)."""

import hashlib
from functools import lru_cache
from importlib.resources.abc import Traversable

from tui_crm.services.core.fixtures import FIXTURES
from tui_crm.storage.migrate import head_revision

READY_KEY = "ready"
# Raise when the preparation learns something new that books already prepared need.
PREPARATION = "2"


def _files(folder: Traversable) -> list[Traversable]:
    found: list[Traversable] = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_dir():
            found.extend(_files(item))
        elif not item.name.startswith(".") and not item.name.endswith(".pyc"):
            found.append(item)
    return found


@lru_cache(maxsize=1)
def readiness() -> str:
    """What the marker of a book prepared by this program reads."""
    digest = hashlib.sha256()
    for item in _files(FIXTURES):
        digest.update(item.name.encode("utf-8") + b"\0" + item.read_bytes())
    return f"{PREPARATION}:{head_revision()}:{digest.hexdigest()[:32]}"

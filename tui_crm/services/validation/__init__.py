"""Identifier checks shared by every form and import: resident ID numbers, unified
social credit codes, phone numbers, plates and VINs, each giving a verdict with a
one-line reason.
"""

from tui_crm.services.validation.identifiers import (
    KINDS,
    IdVerdict,
    PhoneVerdict,
    UsccVerdict,
    id_18_from_15,
    is_valid,
    require,
    validate,
)
from tui_crm.services.validation.vehicle import PlateVerdict, VinVerdict
from tui_crm.services.validation.verdict import Verdict

__all__ = [
    "KINDS",
    "IdVerdict",
    "PhoneVerdict",
    "PlateVerdict",
    "UsccVerdict",
    "Verdict",
    "VinVerdict",
    "id_18_from_15",
    "is_valid",
    "require",
    "validate",
]

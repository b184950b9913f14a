"""Customer records: creating and editing them with their checks and duplicate
warnings, revealing masked personal data (audited), and the 360-degree view of one
customer.
"""

from tui_crm.services.customers.duplicates import Duplicate, DuplicateFound
from tui_crm.services.customers.input import CustomerInput, check_field, check_input, id_label
from tui_crm.services.customers.service import CustomerService, EditForm, Revealed
from tui_crm.services.customers.view360.service import Customer360

__all__ = [
    "Customer360",
    "CustomerInput",
    "CustomerService",
    "Duplicate",
    "DuplicateFound",
    "EditForm",
    "Revealed",
    "check_field",
    "check_input",
    "id_label",
]

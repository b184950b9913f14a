"""tui_crm: a keyboard-first CRM for a P&C insurance branch office."""

__version__ = "0.1.0"

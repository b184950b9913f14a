"""SMS campaigns: a template sent to a list of customers, with consent checked per customer."""

__all__: list[str] = []

"""Refusals of a premium trial: each names the input to blame (`field`, as the CLI flag
without dashes, e.g. `seats`, `self_pricing`, `coverage`) so a screen can put the message
next to that field. A trial collects every problem it finds; the first is the one the CLI
reports."""

from dataclasses import dataclass

from tui_crm.services.core.errors import ValidationFailed


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    coverage: str | None = None  # which coverage, when field == "coverage"


class TrialInvalid(ValidationFailed):
    """One or more inputs of a trial are invalid; `errors` lists them all."""

    def __init__(self, errors: list[FieldError]) -> None:
        first = errors[0]
        super().__init__(first.message, field=first.field)
        self.errors = errors


class Problems:
    """Collects field errors while a trial is checked and computed."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, *, coverage: str | None = None) -> None:
        if not any(e.field == field and e.coverage == coverage for e in self.errors):
            self.errors.append(FieldError(field, message, coverage))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise TrialInvalid(self.errors)

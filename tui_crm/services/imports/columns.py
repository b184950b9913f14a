"""The canonical extract layouts: one file per kind, the columns it may have and the
ones it must have (docs/imports.md). The order of KINDS is the order of a night's import:
policies name the customers and vehicles before them, claims and receivables the policies."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    kind: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: str  # the column whose value is unique inside one file


LAYOUTS = {
    "customers": Layout(
        "customers",
        (
            "customer_key",
            "kind",
            "name",
            "id_number",
            "credit_code",
            "birth_date",
            "gender",
            "phone",
            "address",
            "unit_code",
            "account_manager",
            "intermediary_code",
            "industry",
            "ownership",
        ),
        ("customer_key", "kind", "name"),
        "customer_key",
    ),
    "vehicles": Layout(
        "vehicles",
        (
            "plate",
            "vin",
            "engine_no",
            "owner_key",
            "make_model",
            "use",
            "seats",
            "displacement",
            "tonnage",
            "curb_weight",
            "first_registration",
            "new_car_price",
        ),
        ("owner_key", "use"),
        "vehicle",  # the VIN, or the plate when the VIN is empty
    ),
    "policies": Layout(
        "policies",
        (
            "policy_no",
            "product",
            "holder_key",
            "insured_key",
            "plate",
            "vin",
            "unit_code",
            "intermediary_code",
            "account_manager",
            "issue_date",
            "start_date",
            "end_date",
            "premium",
            "sum_insured",
            "status",
            "cancel_date",
            "renewal_of",
            "tender",
            "reinsurance",
            "coinsurance",
        ),
        ("policy_no", "product", "holder_key", "unit_code", "start_date", "end_date", "premium"),
        "policy_no",
    ),
    "claims": Layout(
        "claims",
        (
            "claim_no",
            "policy_no",
            "loss_date",
            "reported_date",
            "status",
            "paid",
            "outstanding",
            "cause",
            "fraud",
            "hard_to_settle",
            "adjuster",
        ),
        ("claim_no", "policy_no", "loss_date", "reported_date", "status", "paid"),
        "claim_no",
    ),
    "receivables": Layout(
        "receivables",
        ("policy_no", "due_date", "amount", "paid_amount", "paid_date"),
        ("policy_no", "due_date", "amount"),
        "receivable",  # policy_no + due_date
    ),
}
KINDS = tuple(LAYOUTS)

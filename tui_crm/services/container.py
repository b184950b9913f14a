"""All services of one running app or CLI call, built once from a Database.

Screens and CLI commands receive the services they need from here; each service owns its
rules (permission, scope, masking, audit) so every front end gets the same behaviour.
"""

from dataclasses import dataclass

from tui_crm.services.accounts import AuthService, UserService, make_hasher
from tui_crm.services.assignment import AssignmentService
from tui_crm.services.blacklist import BlacklistService, BlacklistViews
from tui_crm.services.classification import ClassificationService, ClassStatsService
from tui_crm.services.core import AuditService, Clock, OrgService, ThresholdService, database_errors
from tui_crm.services.customers import CustomerService
from tui_crm.services.disasters import DisasterService
from tui_crm.services.duplicates import DuplicateService
from tui_crm.services.intermediaries import IntermediaryService
from tui_crm.services.permissions import PermissionService
from tui_crm.services.policy_marks import PolicyMarkService
from tui_crm.services.premium import (
    PremiumService,
    ProposalService,
    RateTableService,
    VehiclePriceService,
)
from tui_crm.services.registry import RegistryService
from tui_crm.services.reports import ReportService
from tui_crm.services.search import SearchService
from tui_crm.services.servicing import CustomerServiceLog, SmsService
from tui_crm.storage.db import Database


@dataclass
class Services:
    database: Database
    clock: Clock
    auth: AuthService
    audit: AuditService
    thresholds: ThresholdService
    org: OrgService
    users: UserService
    search: SearchService
    customers: CustomerService
    duplicates: DuplicateService
    assignment: AssignmentService
    intermediaries: IntermediaryService
    permissions: PermissionService
    disasters: DisasterService
    registry: RegistryService
    policy_marks: PolicyMarkService
    service_log: CustomerServiceLog
    sms: SmsService
    premium: PremiumService
    rate_tables: RateTableService
    vehicle_prices: VehiclePriceService
    proposals: ProposalService
    classification: ClassificationService
    class_stats: ClassStatsService
    blacklist: BlacklistService
    blacklist_views: BlacklistViews
    reports: ReportService


def make_services(
    database: Database, *, clock: Clock | None = None, fast_hash: bool = False
) -> Services:
    clock = clock or Clock()
    database_errors.install(database.engine)
    auth = AuthService(database, clock, make_hasher(fast=fast_hash))
    search = SearchService(database)
    return Services(
        database=database,
        clock=clock,
        auth=auth,
        audit=AuditService(database),
        thresholds=ThresholdService(database),
        org=OrgService(database),
        users=UserService(database, auth),
        search=search,
        customers=CustomerService(database, clock, search),
        duplicates=DuplicateService(database, clock),
        assignment=AssignmentService(database, clock),
        intermediaries=IntermediaryService(database),
        permissions=PermissionService(database),
        disasters=DisasterService(database),
        registry=RegistryService(database, clock),
        policy_marks=PolicyMarkService(database),
        service_log=CustomerServiceLog(database, clock),
        sms=SmsService(database, clock),
        premium=PremiumService(database, clock),
        rate_tables=RateTableService(database, clock),
        vehicle_prices=VehiclePriceService(database, clock),
        proposals=ProposalService(database, clock),
        classification=ClassificationService(database, clock),
        class_stats=ClassStatsService(database),
        blacklist=BlacklistService(database, clock),
        blacklist_views=BlacklistViews(database, clock),
        reports=ReportService(database, clock),
    )

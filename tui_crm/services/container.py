"""All services of one running app or CLI call, built once from a Database.

Screens and CLI commands receive the services they need from here; each service owns its
rules (permission, scope, masking, audit) so every front end gets the same behaviour.
"""

from dataclasses import dataclass

from tui_crm.services.accounts.auth import AuthService, make_hasher
from tui_crm.services.accounts.users import UserService
from tui_crm.services.blacklist.service import BlacklistService
from tui_crm.services.blacklist.views import BlacklistViews
from tui_crm.services.classification.engine import ClassificationService
from tui_crm.services.classification.stats import ClassStatsService
from tui_crm.services.core import database_errors
from tui_crm.services.core.audit import AuditService
from tui_crm.services.core.clock import Clock
from tui_crm.services.core.org import OrgService
from tui_crm.services.core.thresholds import ThresholdService
from tui_crm.services.customers.service import CustomerService
from tui_crm.services.premium import PremiumService
from tui_crm.services.premium.proposal import ProposalService
from tui_crm.services.premium.rate_tables import RateTableService
from tui_crm.services.premium.vehicle_prices import VehiclePriceService
from tui_crm.services.reports import ReportService
from tui_crm.services.search.service import SearchService
from tui_crm.services.servicing.contacts import CustomerServiceLog
from tui_crm.services.servicing.sms import SmsService
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

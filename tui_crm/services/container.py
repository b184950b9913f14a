"""All services of one running app or CLI call, built from a Database when first used.

Screens and CLI commands receive the services they need from here; each service owns its
rules (permission, scope, masking, audit) so every front end gets the same behaviour.

Each service is built (and its package imported) the first time it is asked for: a
one-shot command such as `tui-crm search` imports the search machinery only, not the
report engine with pandas and numpy behind it.
"""

from functools import cached_property
from typing import TYPE_CHECKING

from tui_crm.services.core.clock import Clock
from tui_crm.storage.db import Database

if TYPE_CHECKING:
    from tui_crm.services.accounts import AuthService, SessionTokenService, UserService
    from tui_crm.services.adjusters import AdjusterService
    from tui_crm.services.assignment import AssignmentService
    from tui_crm.services.blacklist import BlacklistService, BlacklistViews
    from tui_crm.services.campaigns import CampaignService, DisasterWarnings
    from tui_crm.services.classification import ClassificationService, ClassStatsService
    from tui_crm.services.core import AuditService, OrgService, ThresholdService
    from tui_crm.services.customers import CustomerService
    from tui_crm.services.disasters import DisasterService
    from tui_crm.services.duplicates import DuplicateService
    from tui_crm.services.groups import GroupService
    from tui_crm.services.imports import ImportService
    from tui_crm.services.intermediaries import IntermediaryService
    from tui_crm.services.permissions import PermissionService
    from tui_crm.services.policy_marks import PolicyMarkService
    from tui_crm.services.premium import (
        PremiumService,
        ProposalService,
        RateTableService,
        VehiclePriceService,
    )
    from tui_crm.services.prospects import ProspectService
    from tui_crm.services.registry import RegistryService
    from tui_crm.services.reports import ReportService
    from tui_crm.services.search import SearchService
    from tui_crm.services.servicing import CustomerServiceLog, SmsService
    from tui_crm.services.sms import SmsCallbacks, SmsDispatcher, SmsInbox
    from tui_crm.services.sources import SourceService
    from tui_crm.services.staff_sms import StaffSmsService
    from tui_crm.services.worklists import ComplaintDesk, RenewalService, TaskService


class Services:
    """The services of one database; each attribute is built once, when first read."""

    def __init__(self, database: Database, clock: Clock, *, fast_hash: bool = False) -> None:
        self.database = database
        self.clock = clock
        self.fast_hash = fast_hash

    @cached_property
    def auth(self) -> "AuthService":
        from tui_crm.services.accounts import AuthService, make_hasher

        return AuthService(self.database, self.clock, make_hasher(fast=self.fast_hash))

    @cached_property
    def tokens(self) -> "SessionTokenService":
        from tui_crm.services.accounts import SessionTokenService

        return SessionTokenService(self.database, self.clock)

    @cached_property
    def audit(self) -> "AuditService":
        from tui_crm.services.core import AuditService

        return AuditService(self.database)

    @cached_property
    def thresholds(self) -> "ThresholdService":
        from tui_crm.services.core import ThresholdService

        return ThresholdService(self.database)

    @cached_property
    def org(self) -> "OrgService":
        from tui_crm.services.core import OrgService

        return OrgService(self.database)

    @cached_property
    def users(self) -> "UserService":
        from tui_crm.services.accounts import UserService

        return UserService(self.database, self.auth)

    @cached_property
    def search(self) -> "SearchService":
        from tui_crm.services.search import SearchService

        return SearchService(self.database)

    @cached_property
    def customers(self) -> "CustomerService":
        from tui_crm.services.customers import CustomerService

        return CustomerService(self.database, self.clock, self.search)

    @cached_property
    def service_log(self) -> "CustomerServiceLog":
        from tui_crm.services.servicing import CustomerServiceLog

        return CustomerServiceLog(self.database, self.clock)

    @cached_property
    def sms(self) -> "SmsService":
        from tui_crm.services.servicing import SmsService

        return SmsService(self.database, self.clock)

    @cached_property
    def premium(self) -> "PremiumService":
        from tui_crm.services.premium import PremiumService

        return PremiumService(self.database, self.clock)

    @cached_property
    def rate_tables(self) -> "RateTableService":
        from tui_crm.services.premium import RateTableService

        return RateTableService(self.database, self.clock)

    @cached_property
    def vehicle_prices(self) -> "VehiclePriceService":
        from tui_crm.services.premium import VehiclePriceService

        return VehiclePriceService(self.database, self.clock)

    @cached_property
    def proposals(self) -> "ProposalService":
        from tui_crm.services.premium import ProposalService

        return ProposalService(self.database, self.clock)

    @cached_property
    def classification(self) -> "ClassificationService":
        from tui_crm.services.classification import ClassificationService

        return ClassificationService(self.database, self.clock)

    @cached_property
    def class_stats(self) -> "ClassStatsService":
        from tui_crm.services.classification import ClassStatsService

        return ClassStatsService(self.database)

    @cached_property
    def blacklist(self) -> "BlacklistService":
        from tui_crm.services.blacklist import BlacklistService

        return BlacklistService(self.database, self.clock)

    @cached_property
    def blacklist_views(self) -> "BlacklistViews":
        from tui_crm.services.blacklist import BlacklistViews

        return BlacklistViews(self.database, self.clock)

    @cached_property
    def reports(self) -> "ReportService":
        from tui_crm.services.reports import ReportService

        return ReportService(self.database, self.clock)

    @cached_property
    def imports(self) -> "ImportService":
        from tui_crm.services.imports import ImportService

        return ImportService(self.database, self.clock)

    @cached_property
    def sms_dispatcher(self) -> "SmsDispatcher":
        from tui_crm.services.sms import SmsDispatcher

        return SmsDispatcher(self.database, self.clock)

    @cached_property
    def sms_inbox(self) -> "SmsInbox":
        from tui_crm.services.sms import SmsInbox

        return SmsInbox(self.database, self.clock, self.sms, self.staff_sms)

    @cached_property
    def staff_sms(self) -> "StaffSmsService":
        from tui_crm.services.staff_sms import StaffSmsService

        return StaffSmsService(self.database, self.clock, self.auth.hasher)

    @cached_property
    def adjusters(self) -> "AdjusterService":
        from tui_crm.services.adjusters import AdjusterService

        return AdjusterService(self.database, self.clock)

    @cached_property
    def sms_callbacks(self) -> "SmsCallbacks":
        from tui_crm.services.sms import SmsCallbacks

        return SmsCallbacks(self.database, self.clock, self.sms_inbox)

    @cached_property
    def renewals(self) -> "RenewalService":
        from tui_crm.services.worklists import RenewalService

        return RenewalService(self.database, self.clock, self.sms, self.service_log, self.prospects)

    @cached_property
    def campaigns(self) -> "CampaignService":
        from tui_crm.services.campaigns import CampaignService

        return CampaignService(self.database, self.clock)

    @cached_property
    def duplicates(self) -> "DuplicateService":
        from tui_crm.services.duplicates import DuplicateService

        return DuplicateService(self.database, self.clock)

    @cached_property
    def assignment(self) -> "AssignmentService":
        from tui_crm.services.assignment import AssignmentService

        return AssignmentService(self.database, self.clock)

    @cached_property
    def intermediaries(self) -> "IntermediaryService":
        from tui_crm.services.intermediaries import IntermediaryService

        return IntermediaryService(self.database)

    @cached_property
    def permissions(self) -> "PermissionService":
        from tui_crm.services.permissions import PermissionService

        return PermissionService(self.database)

    @cached_property
    def disasters(self) -> "DisasterService":
        from tui_crm.services.disasters import DisasterService

        return DisasterService(self.database)

    @cached_property
    def disaster_warnings(self) -> "DisasterWarnings":
        from tui_crm.services.campaigns import DisasterWarnings

        return DisasterWarnings(self.database, self.campaigns, self.disasters)

    @cached_property
    def tasks(self) -> "TaskService":
        from tui_crm.services.worklists import TaskService

        return TaskService(self.database, self.clock)

    @cached_property
    def complaint_desk(self) -> "ComplaintDesk":
        from tui_crm.services.worklists import ComplaintDesk

        return ComplaintDesk(self.database, self.clock)

    @cached_property
    def registry(self) -> "RegistryService":
        from tui_crm.services.registry import RegistryService

        return RegistryService(self.database, self.clock)

    @cached_property
    def policy_marks(self) -> "PolicyMarkService":
        from tui_crm.services.policy_marks import PolicyMarkService

        return PolicyMarkService(self.database)

    @cached_property
    def prospects(self) -> "ProspectService":
        from tui_crm.services.classification import reclassify_customer
        from tui_crm.services.prospects import ProspectService

        return ProspectService(self.database, self.clock, reclassify_customer)

    @cached_property
    def sources(self) -> "SourceService":
        from tui_crm.services.sources import SourceService

        return SourceService(self.database, self.clock)

    @cached_property
    def groups(self) -> "GroupService":
        from tui_crm.services.groups import GroupService

        return GroupService(self.database)


def make_services(
    database: Database, *, clock: Clock | None = None, fast_hash: bool = False
) -> Services:
    from tui_crm.services.core import database_errors

    database_errors.install(database.engine)
    return Services(database, clock or Clock(), fast_hash=fast_hash)

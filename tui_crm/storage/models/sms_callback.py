"""The provider's callbacks taken in through `tui-crm sms serve`, one row per provider
message id and kind, so a callback the provider sends again is answered, not recorded twice."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tui_crm.storage.models._base import timestamp_field


class SmsCallback(SQLModel, table=True):
    __tablename__ = "sms_callback"
    kind: str = Field(max_length=10, primary_key=True)  # report / reply
    provider_id: str = Field(max_length=80, primary_key=True)  # the provider's message id
    received_at: datetime = timestamp_field()

"""The head customer of a corporate group (集团客户). Members point at their group with
`customer.group_id`, a subsidiary at its parent with `customer.parent_customer_id`."""

from sqlmodel import Field, SQLModel


class CorporateGroupHead(SQLModel, table=True):
    __tablename__ = "corporate_group_head"
    group_id: int = Field(foreign_key="corporate_group.id", primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)

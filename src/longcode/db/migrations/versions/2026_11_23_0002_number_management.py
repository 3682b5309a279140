"""number management: inventory columns, routes, E911, CNAM, charges, holdings, search indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcode.db.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AVAILABLE = sa.text("account_id IS NULL")
EPOCH_SQLITE = "1970-01-01 00:00:00.000000"
EPOCH_PG = "1970-01-01 00:00:00+00"

# The trigram index behind `contains` and `ends_with` searches on SQLite: FTS5 over the
# numbers' digits, contentless (the digits live in `number`), rowid = the number as an integer.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE number_fts USING fts5(value, tokenize='trigram', content='', columnsize=0)",
    # Rows inserted one at a time (operator assignment, port-in) are indexed by this trigger;
    # inventory imports index theirs in bulk (`numbers/inventory.py`), ten times faster than
    # a trigger firing per row.
    "CREATE TRIGGER number_fts_insert AFTER INSERT ON number WHEN new.origin <> 'inventory' BEGIN "
    "INSERT INTO number_fts(rowid, value) VALUES (CAST(new.value AS INTEGER), new.value); END",
    "CREATE TRIGGER number_fts_delete AFTER DELETE ON number BEGIN "
    "INSERT INTO number_fts(number_fts, rowid, value) "
    "VALUES ('delete', CAST(old.value AS INTEGER), old.value); END",
    "INSERT INTO number_fts(rowid, value) SELECT CAST(value AS INTEGER), value FROM number",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    epoch = EPOCH_SQLITE if dialect == "sqlite" else EPOCH_PG
    op.create_table(
        "route",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("alias", sa.String(length=64), nullable=False),
        sa.Column("route_type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=True),
        sa.Column("edge_strategy_id", sa.Integer(), nullable=True),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_route_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route")),
        sa.UniqueConstraint("account_id", "alias", name="uq_route_account_alias"),
    )
    with op.batch_alter_table("route", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_account_id"), ["account_id"], unique=False)
    op.execute(  # `epoch` is a constant of this file: a literal both databases read as a time
        "INSERT INTO route (id, account_id, alias, route_type, value, edge_strategy_id, created_at)"
        f" VALUES (0, NULL, 'sip-reg', 'sip-reg', NULL, NULL, '{epoch}')"
    )
    op.create_table(
        "e911",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=64), nullable=False),
        sa.Column("last_name", sa.String(length=64), nullable=False),
        sa.Column("street_number", sa.String(length=16), nullable=False),
        sa.Column("street_name", sa.String(length=128), nullable=False),
        sa.Column("address_type", sa.String(length=16), nullable=True),
        sa.Column("address_type_number", sa.String(length=16), nullable=True),
        sa.Column("city", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_e911_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e911")),
    )
    with op.batch_alter_table("e911", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_e911_account_id"), ["account_id"], unique=False)
    op.create_table(
        "cnam",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=15), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.String(length=200), nullable=True),
        sa.Column("auto_approve_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_cnam_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cnam")),
    )
    with op.batch_alter_table("cnam", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cnam_account_id"), ["account_id"], unique=False)
    op.create_table(
        "charge",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=11), nullable=True),
        sa.Column("amount_nanodollars", sa.BigInteger(), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_charge_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charge")),
    )
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.create_index("ix_charge_account_created", ["account_id", "created_at"], unique=False)
    op.create_table(
        "number_holding",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("monthly_cost", sa.BigInteger(), nullable=False),
        sa.Column("start_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("end_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_number_holding_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_holding")),
    )
    with op.batch_alter_table("number_holding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_number_holding_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_number_holding_number"), ["number"], unique=False)

    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_sealed", sa.String(length=128), nullable=True))

    with op.batch_alter_table("number", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_center", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("state", sa.String(length=2), nullable=True))
        batch_op.add_column(
            sa.Column("iso_country", sa.String(length=2), nullable=False, server_default="US")
        )
        batch_op.add_column(sa.Column("setup_cost", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("monthly_cost", sa.BigInteger(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column(
                "available_at",
                longcode.db.base.UtcDateTime(timezone=True),
                nullable=False,
                server_default=epoch,
            )
        )
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="assigned")
        )
        batch_op.add_column(
            sa.Column("purchased_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("messaging_enabled_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cnam_lookups_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("billing_method", sa.String(length=16), nullable=False, server_default="METERED")
        )
        batch_op.add_column(sa.Column("primary_route_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("failover_route_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cnam_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("e911_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_number_primary_route_id_route"), "route", ["primary_route_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_number_failover_route_id_route"), "route", ["failover_route_id"], ["id"]
        )
        batch_op.create_foreign_key(batch_op.f("fk_number_cnam_id_cnam"), "cnam", ["cnam_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_number_e911_id_e911"), "e911", ["e911_id"], ["id"])
        batch_op.create_index(
            "ix_number_available", ["value"], sqlite_where=AVAILABLE, postgresql_where=AVAILABLE
        )
        batch_op.create_index(
            "ix_number_available_state",
            ["state", "value"],
            sqlite_where=AVAILABLE,
            postgresql_where=AVAILABLE,
        )
        batch_op.create_index(
            "ix_number_available_rate_center",
            ["state", "rate_center", "value"],
            sqlite_where=AVAILABLE,
            postgresql_where=AVAILABLE,
        )
        batch_op.create_index(
            "ix_number_available_type",
            ["number_type", "value"],
            sqlite_where=AVAILABLE,
            postgresql_where=AVAILABLE,
        )
    # Numbers held before this migration were all given by the operator; they use sip-reg.
    op.execute("UPDATE number SET primary_route_id = 0 WHERE account_id IS NOT NULL")

    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        _postgres_trigram_index()


def _postgres_trigram_index() -> None:
    """pg_trgm makes `contains` an index search; without the extension it is a filtered scan."""
    bind = op.get_bind()
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if not available:
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:  # not allowed to create extensions here: scans it is
        savepoint.rollback()
        return
    savepoint.commit()
    bind.execute(
        sa.text(
            "CREATE INDEX ix_number_value_trgm ON number USING gin (value gin_trgm_ops)"
            " WHERE account_id IS NULL"
        )
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS number_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS number_fts_delete")
        op.execute("DROP TABLE IF EXISTS number_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_number_value_trgm")
    with op.batch_alter_table("number", schema=None) as batch_op:
        for index in (
            "ix_number_available_type",
            "ix_number_available_rate_center",
            "ix_number_available_state",
            "ix_number_available",
        ):
            batch_op.drop_index(index)
        batch_op.drop_constraint(batch_op.f("fk_number_e911_id_e911"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_number_cnam_id_cnam"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_number_failover_route_id_route"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_number_primary_route_id_route"), type_="foreignkey")
        for column in (
            "e911_id",
            "cnam_id",
            "failover_route_id",
            "primary_route_id",
            "billing_method",
            "cnam_lookups_enabled",
            "messaging_enabled_at",
            "purchased_at",
            "origin",
            "available_at",
            "monthly_cost",
            "setup_cost",
            "iso_country",
            "state",
            "rate_center",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_column("secret_sealed")
    op.drop_table("number_holding")
    op.drop_table("charge")
    op.drop_table("cnam")
    op.drop_table("e911")
    op.drop_table("route")

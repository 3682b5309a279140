"""delivery: worker leases and stages, webhooks, carriers, pacing, sandbox outbox, opt-outs, media

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 07:43:00.784763
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcode.db.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carrier",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.String(length=16), nullable=False),
        sa.Column("password_sealed", sa.String(length=128), nullable=False),
        sa.Column("system_type", sa.String(length=13), nullable=False),
        sa.Column("binds", sa.Integer(), nullable=False),
        sa.Column("window_size", sa.Integer(), nullable=False),
        sa.Column("tls", sa.Boolean(), nullable=False),
        sa.Column("long_messages", sa.String(length=8), nullable=False),
        sa.Column("gsm_packed", sa.Boolean(), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_carrier")),
    )
    op.create_table(
        "mo_part",
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=21), nullable=False),
        sa.Column("destination", sa.String(length=21), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "carrier", "source", "destination", "reference", "position", name=op.f("pk_mo_part")
        ),
    )
    op.create_table(
        "number_pace",
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("next_slot_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_number_pace")),
    )
    op.create_table(
        "opt_out",
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("sender", sa.String(length=11), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", "sender", name=op.f("pk_opt_out")),
    )
    op.create_table(
        "pending_receipt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("carrier_message_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("received_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_receipt")),
    )
    with op.batch_alter_table("pending_receipt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pending_receipt_carrier_id", ["carrier", "carrier_message_id"], unique=False
        )

    op.create_table(
        "webhook_event",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_webhook_event_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_event")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_webhook_event_dedupe_key")),
    )
    with op.batch_alter_table("webhook_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_event_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            "ix_webhook_event_due",
            ["next_attempt_at"],
            unique=False,
            sqlite_where=sa.text("next_attempt_at IS NOT NULL"),
            postgresql_where=sa.text("next_attempt_at IS NOT NULL"),
        )
        batch_op.create_index(batch_op.f("ix_webhook_event_message_id"), ["message_id"], unique=False)

    op.create_table(
        "message_media",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=127), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_message_media_message_id_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_media")),
        sa.UniqueConstraint("token", name=op.f("uq_message_media_token")),
    )
    with op.batch_alter_table("message_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_message_media_message_id"), ["message_id"], unique=False)

    op.create_table(
        "sandbox_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("from_number", sa.String(length=11), nullable=False),
        sa.Column("to_number", sa.String(length=11), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("is_mms", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("submitted_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_sandbox_outbox_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_sandbox_outbox_message_id_message")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_sandbox_outbox_message_id")),
    )
    with op.batch_alter_table("sandbox_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_outbox_account_time", ["account_id", "submitted_at"], unique=False)

    op.create_table(
        "webhook_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("attempted_at", longcode.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["webhook_event.id"], name=op.f("fk_webhook_attempt_event_id_webhook_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempt")),
    )
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_attempt_event_id"), ["event_id"], unique=False)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("help_reply", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("carrier", sa.String(length=64), nullable=True))

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sa.String(length=16), server_default="submit", nullable=False))
        batch_op.add_column(sa.Column("retries", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("paced_at", longcode.db.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("carrier", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("carrier_message_id", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("origin_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch_op.create_index("ix_message_carrier_id", ["carrier", "carrier_message_id"], unique=False)
        batch_op.create_index(
            "ix_message_origin",
            ["origin_id"],
            unique=True,
            sqlite_where=sa.text("origin_id IS NOT NULL"),
            postgresql_where=sa.text("origin_id IS NOT NULL"),
        )

    with op.batch_alter_table("number", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carrier", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("number", schema=None) as batch_op:
        batch_op.drop_column("carrier")

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_message_origin",
            sqlite_where=sa.text("origin_id IS NOT NULL"),
            postgresql_where=sa.text("origin_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_message_carrier_id")
        batch_op.drop_column("error")
        batch_op.drop_column("origin_id")
        batch_op.drop_column("carrier_message_id")
        batch_op.drop_column("carrier")
        batch_op.drop_column("paced_at")
        batch_op.drop_column("retries")
        batch_op.drop_column("stage")

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("carrier")
        batch_op.drop_column("help_reply")
        batch_op.drop_column("signing_secret")

    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_attempt_event_id"))

    op.drop_table("webhook_attempt")
    with op.batch_alter_table("sandbox_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_outbox_account_time")

    op.drop_table("sandbox_outbox")
    with op.batch_alter_table("message_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_media_message_id"))

    op.drop_table("message_media")
    with op.batch_alter_table("webhook_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_event_message_id"))
        batch_op.drop_index(
            "ix_webhook_event_due",
            sqlite_where=sa.text("next_attempt_at IS NOT NULL"),
            postgresql_where=sa.text("next_attempt_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_webhook_event_account_id"))

    op.drop_table("webhook_event")
    with op.batch_alter_table("pending_receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_receipt_carrier_id")

    op.drop_table("pending_receipt")
    op.drop_table("opt_out")
    op.drop_table("number_pace")
    op.drop_table("mo_part")
    op.drop_table("carrier")

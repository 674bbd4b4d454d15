"""indexes on the record IDs (checked across active batches when a batch is saved)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 17:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = (
    ("forloeb", "forloeb_id"),
    ("brugerevaluering", "svar_id"),
    ("kendskab", "respondent_id"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)

"""Versioned store: dataset versions, their tables and rows, areas with geometry, publications, accounts.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("schematic_geometry", sa.Boolean, nullable=False),
        sa.Column("source_label", sa.Text, nullable=False),
        sa.Column("updated", sa.String(10), nullable=False),
        sa.Column("base_version_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "dataset_tables",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("columns", sa.Text, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
    )
    op.create_table(
        "table_rows",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
        sa.Column("table_name", sa.String(64), primary_key=True),
        sa.Column("row_number", sa.Integer, primary_key=True),
        sa.Column("cells", sa.Text, nullable=False),
    )
    op.create_table(
        "areas",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), primary_key=True),
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent_code", sa.String(20), nullable=False),
        sa.Column("geometry", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("dataset_versions.id"), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("remote_addr", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("login_failures_by_name", "login_failures", ["username", "at"])


def downgrade():
    for table in ("login_failures", "accounts", "publications", "areas", "table_rows", "dataset_tables",
                  "dataset_versions"):
        op.drop_table(table)

"""The register's first schema: persons, registrations, events, callers, rate limits, audit.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "persoon",
        sa.Column("bsn", sa.String(9), primary_key=True),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("door", sa.String(64), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "registratie",
        sa.Column("registratie_id", sa.String(64), primary_key=True),
        sa.Column("bsn", sa.String(9), sa.ForeignKey("persoon.bsn"), nullable=False, index=True),
        sa.Column("grondslag", sa.String(32), nullable=False),
        sa.Column("begindatum", sa.Date, nullable=False),
        sa.Column("orgaan", sa.String(64), nullable=False),
        sa.Column("besluit_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "gebeurtenis",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("registratie_id", sa.String(64), sa.ForeignKey("registratie.registratie_id"), nullable=False,
                  index=True),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("reden", sa.String(32)),
        sa.Column("door", sa.String(64), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("soort IN ('toegevoegd', 'beeindigd', 'vervallen')", name="gebeurtenis_soort"),
    )
    op.create_table(
        "persoonsgebeurtenis",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("bsn", sa.String(9), sa.ForeignKey("persoon.bsn"), nullable=False, index=True),
        sa.Column("soort", sa.String(32), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("orgaan", sa.String(64)),
        sa.Column("besluit_id", sa.String(64)),
        sa.Column("door", sa.String(64), nullable=False),
        sa.Column("op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "beller",
        sa.Column("sleutel_id", sa.String(32), primary_key=True),
        sa.Column("naam", sa.String(128), nullable=False),
        sa.Column("rol", sa.String(16), nullable=False),
        sa.Column("soort", sa.String(16), nullable=False),
        sa.Column("kenmerk", sa.String(32)),
        sa.Column("geheim_hash", sa.String(255), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingetrokken_op", sa.DateTime(timezone=True)),
        sa.CheckConstraint("rol IN ('opvrager', 'beheerder')", name="beller_rol"),
    )
    op.create_table(
        "tegoed",
        sa.Column("sleutel_id", sa.String(32), primary_key=True),
        sa.Column("venster", sa.Integer, nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("volgnummer", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("op", sa.String(32), nullable=False),
        sa.Column("beller", sa.String(32)),
        sa.Column("actie", sa.String(32), nullable=False),
        sa.Column("bsn_hash", sa.String(64)),
        sa.Column("peildatum", sa.String(10)),
        sa.Column("antwoord", sa.String(3)),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("detail", sa.String(256)),
        sa.Column("vorige_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit", "tegoed", "beller", "persoonsgebeurtenis", "gebeurtenis", "registratie", "persoon"):
        op.drop_table(table)

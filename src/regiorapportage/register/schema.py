"""The register's database tables (SQLAlchemy Core), the same on SQLite and PostgreSQL. The
migrations in ``migrations/versions`` create exactly these (a test compares them).

Register data is append-only (DR-2): ``persoon``, ``registratie``, ``gebeurtenis`` and
``persoonsgebeurtenis`` only ever get rows inserted. ``beller`` holds credentials (only a
slow hash of the secret, DR-6; revoking sets ``ingetrokken_op``), ``tegoed`` the rate-limit
counter of each caller (in the database, so that it holds across worker processes) and
``audit`` the hash-chained log (DR-6)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

persoon = Table(
    "persoon", metadata,
    Column("bsn", String(9), primary_key=True),
    Column("geboortedatum", Date, nullable=False),
    Column("door", String(64), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

registratie = Table(
    "registratie", metadata,
    Column("registratie_id", String(64), primary_key=True),
    Column("bsn", String(9), ForeignKey("persoon.bsn"), nullable=False, index=True),
    Column("grondslag", String(32), nullable=False),
    Column("begindatum", Date, nullable=False),
    Column("orgaan", String(64), nullable=False),
    Column("besluit_id", String(64), nullable=False),
)

# toegevoegd / beeindigd / vervallen, per registration
gebeurtenis = Table(
    "gebeurtenis", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("registratie_id", String(64), ForeignKey("registratie.registratie_id"), nullable=False, index=True),
    Column("soort", String(16), nullable=False),
    Column("datum", Date, nullable=False),
    Column("reden", String(32)),
    Column("door", String(64), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
    CheckConstraint("soort IN ('toegevoegd', 'beeindigd', 'vervallen')", name="gebeurtenis_soort"),
)

# person-wide decisions (DR-3): overlijden, duurzaam_geen_arbeidsvermogen, beschut_werk, aow
persoonsgebeurtenis = Table(
    "persoonsgebeurtenis", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bsn", String(9), ForeignKey("persoon.bsn"), nullable=False, index=True),
    Column("soort", String(32), nullable=False),
    Column("datum", Date, nullable=False),
    Column("orgaan", String(64)),
    Column("besluit_id", String(64)),
    Column("door", String(64), nullable=False),
    Column("op", DateTime(timezone=True), nullable=False),
)

# DR-6: callers. ``sleutel_id`` is the public half of the credential ``<sleutel_id>.<geheim>``.
beller = Table(
    "beller", metadata,
    Column("sleutel_id", String(32), primary_key=True),
    Column("naam", String(128), nullable=False),
    Column("rol", String(16), nullable=False),
    Column("soort", String(16), nullable=False),  # werkgever / gemeente / beheer
    Column("kenmerk", String(32)),  # loonheffingennummer or gemeente code
    Column("geheim_hash", String(255), nullable=False),
    Column("aangemaakt_op", DateTime(timezone=True), nullable=False),
    Column("ingetrokken_op", DateTime(timezone=True)),
    CheckConstraint("rol IN ('opvrager', 'beheerder')", name="beller_rol"),
)

# DR-6: one fixed-window counter per caller
tegoed = Table(
    "tegoed", metadata,
    Column("sleutel_id", String(32), primary_key=True),
    Column("venster", Integer, nullable=False),  # start of the window, seconds since the epoch
    Column("aantal", Integer, nullable=False),
)

# DR-6: the audit log; ``volgnummer`` is assigned in order under a lock, ``hash`` chains
audit = Table(
    "audit", metadata,
    Column("volgnummer", Integer, primary_key=True, autoincrement=False),
    Column("op", String(32), nullable=False),  # ISO 8601 UTC text: hashed exactly as stored
    Column("beller", String(32)),
    Column("actie", String(32), nullable=False),
    Column("bsn_hash", String(64)),
    Column("peildatum", String(10)),
    Column("antwoord", String(3)),
    Column("status", Integer, nullable=False),
    Column("detail", String(256)),
    Column("vorige_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

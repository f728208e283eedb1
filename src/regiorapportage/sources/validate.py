"""Load and validate the inputs (DQ-1, DQ-2) as Ibis expressions.

For every source:

1. *structure* (DQ-2): the file exists and can be read, every contract column is there,
   no column is of the wrong type as a whole. Any problem stops the run (``StructuralError``)
   before anything is written.
2. *row rules* (DQ-1), in four stages, each on the rows that passed the previous one:
   a. rules on the row alone: required values, types, code lists, formats, date order,
      source-specific rules (advice dates, tijdvak shapes, hours);
   b. duplicate keys: the first occurrence (lowest ``rij``) is kept, later ones rejected;
   c. overlapping periods of the same ``ikv_id`` (payroll) or ``werkgever_id`` (employer
      periods): a period that starts before an earlier period of the same group has ended;
   d. references to other sources (``persoon_id``, ``ikv_id``) among their *accepted* rows.
   A rejected row carries the first rule it broke (``regel``) and a readable reason.

Counts reconcile by construction and are checked anyway: read = accepted + rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir

from regiorapportage import engine
from regiorapportage.errors import ConsistencyError, StructuralError
from regiorapportage.sources.files import (
    InputFolder,
    check_input_dir,
    packaged_file,
    display_name,
    sha256_input,
)
from regiorapportage.sources.schema import (
    SOURCES,
    TEXT_PATTERNS,
    TYPE_DESCRIPTIONS,
    TYPE_NOUNS,
    TYPES,
    VALIDATION_ORDER,
    Column,
    Shown,
    Source,
)

# Sources whose rows other sources refer to (their file as read is kept for reject reasons).
REFERENCED = {ref.parent for source in SOURCES.values() for ref in source.references}


@dataclass
class SourceResult:
    """One validated input: accepted rows as an Ibis table, rejects, counts."""

    name: str
    file: str
    sha256: str
    read: int
    accepted: int
    rejected: int
    reasons: dict[str, int]
    table: ir.Table
    rejects: ir.Table
    raw: ir.Table | None  # the file as read; kept only for sources other sources refer to
    columns: list[str]
    notices: list[str] = field(default_factory=list)

    def manifest_entry(self) -> dict:
        return {
            "bestand": self.file,
            "sha256": self.sha256,
            "gelezen": self.read,
            "geaccepteerd": self.accepted,
            "afgewezen": self.rejected,
            "afwijzingen_per_regel": dict(sorted(self.reasons.items())),
            "meldingen": self.notices,
        }


@dataclass
class Inputs:
    """All validated inputs of a run plus the extraction dates (bronnen.json)."""

    sources: dict[str, SourceResult]
    extractiedatum: dict[str, date]
    bronnen_sha256: str
    location: str = ""  # the input folder: an absolute path or a qualified URL

    def __getitem__(self, name: str) -> ir.Table:
        return self.sources[name].table


# --------------------------------------------------------------------------- typing


def _lit(text: str) -> ir.StringValue:
    return ibis.literal(text, type="string")


def _show(value: ir.Value) -> ir.StringValue:
    return value.cast("string").fill_null("")


def _text(raw: ir.Table, column: Column) -> ir.Value:
    """The value as delivered; for text columns a value of only spaces counts as missing."""
    value = raw[column.name]
    if column.type == "str":
        value = value.cast("string")
        # only a value that starts with white space can be blank: test that cheaply first
        blank = (value == "") | (value.left(1).isin([" ", "\t"]) & (value.strip() == ""))
        value = ibis.ifelse(blank, ibis.null("string"), value)
    return value


def _typed(raw: ir.Table, column: Column, raw_type: str, target: str | None = None) -> ir.Value:
    """The contract type of one column; a value that is not written as the contract says
    (CSV) or cannot be held by the type (Parquet: NaN, infinity, out of range) becomes null,
    and the row is rejected. With ``target`` the value in another type (``WIDE``)."""
    target = target or TYPES[column.type]
    value = _text(raw, column)
    if column.type == "str":
        pass
    elif raw_type.upper() in ("VARCHAR", "STRING"):
        value = ibis.ifelse(value.re_search(TEXT_PATTERNS[column.type]), value.try_cast(target), ibis.null(target))
    else:
        if raw_type.upper() in ("FLOAT", "DOUBLE", "REAL"):
            value = ibis.ifelse(value.isnan() | value.isinf(), ibis.null(value.type()), value)
        value = value.try_cast(target)
    if column.null_means is not None:
        value = value.fill_null(column.null_means)
    return value


# Numbers are compared with their maximum in a type wider than the contract's, so that a value
# too large for DECIMAL(18,6) is named as too large (DQ-2.bereik), not as "no number".
WIDE = "decimal(38, 6)"
INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")


def _compatible(column: Column, raw_type: str) -> bool:
    """Can a typed (Parquet) column hold the contract type at all? A text column takes text or
    whole numbers (an id written as a number), not a list, a struct or bytes (DQ-2)."""
    t = raw_type.upper()
    if t in ("VARCHAR", "STRING"):
        return True
    if column.type == "str":
        return t in INTEGERS
    if column.type == "date":
        return t == "DATE" or t.startswith("TIMESTAMP")
    if column.type == "bool":
        return t == "BOOLEAN"
    numeric = INTEGERS
    if column.type == "int":
        return t in numeric
    if column.type == "decimal":
        return t in numeric or t in ("FLOAT", "DOUBLE", "REAL") or t.startswith("DECIMAL")
    return False


# --------------------------------------------------------------------------- rules


Rule = tuple[str, Callable[[ir.Table], ir.BooleanValue], Callable[[ir.Table], ir.StringValue]]


def _column_rules(source: Source, extracted: date | None = None) -> list[Rule]:
    """Rules that follow from the column declarations (stage a)."""
    rules: list[Rule] = []
    for c in source.columns:
        if not c.nullable:
            rules.append(("DQ-2.verplicht", lambda t, n=f"__raw_{c.name}": t[n].isnull(), lambda t, n=c.name: _lit(f"{n} ontbreekt (verplicht)")))
        rules += _value_rules(c, extracted)
    if source.period:
        b, e = source.period
        rules.append(
            (
                "DQ-2.periode",
                lambda t: t[e] < t[b],
                lambda t: _lit(f"{e} ") + _show(t[e]) + _lit(f" ligt voor {b} ") + _show(t[b]),
            )
        )
    return rules


def _value_rules(c: Column, extracted: date | None) -> list[Rule]:
    """The rules on one delivered value of column ``c``: its range (DQ-2.bereik), its type,
    its code list, its format. Each holds only for a value that is present."""
    name, raw_name = c.name, f"__raw_{c.name}"
    rules: list[Rule] = []
    if c.type in ("int", "decimal") and (c.minimum is not None or c.maximum is not None):
        wide = f"__wide_{name}"
        for bound, word, beyond in ((c.maximum, "boven het maximum", "__gt__"), (c.minimum, "onder het minimum", "__lt__")):
            if bound is not None:
                rules.append(
                    (
                        "DQ-2.bereik",
                        lambda t, w=wide, b=bound, op=beyond: t[w].notnull() & getattr(t[w], op)(ibis.literal(b, type=WIDE)),
                        lambda t, r=raw_name, txt=f"' ligt {word} {engine.thousands(bound)}": _lit(f"{name} '") + _show(t[r]) + _lit(txt),
                    )
                )
    if c.type == "date":
        latest = extracted if c.until_extraction else None
        for bound, text, beyond in ((c.minimum, f"' ligt voor {c.minimum} (geen aannemelijke datum)", "__lt__"),
                                    (latest, f"' ligt na de extractiedatum {latest}", "__gt__")):
            if bound is not None:
                rules.append(
                    (
                        "DQ-2.bereik",
                        lambda t, b=bound, op=beyond: t[name].notnull() & getattr(t[name], op)(b),
                        lambda t, txt=text: _lit(f"{name} '") + _show(t[raw_name]) + _lit(txt),
                    )
                )
    if c.type != "str":
        rule = {"date": "DQ-2.datum", "int": "DQ-2.getal", "decimal": "DQ-2.getal", "bool": "DQ-2.waar_onwaar"}[c.type]
        rules.append(
            (
                rule,
                lambda t, n=name, r=raw_name: t[r].notnull() & t[n].isnull(),
                lambda t, n=name, r=raw_name, d=TYPE_NOUNS[c.type]: _lit(f"{n} '") + _show(t[r]) + _lit(f"' is geen {d}"),
            )
        )
    if c.codes:
        codes = list(c.codes)
        rules.append(
            (
                "DQ-2.code",
                lambda t, n=name, codes=codes: t[n].notnull() & ~t[n].isin(codes),
                lambda t, n=name, codes=codes: _lit(f"{n} '") + _show(t[n]) + _lit(f"' is geen van: {', '.join(codes)}"),
            )
        )
    if c.pattern:
        rules.append(
            (
                "DQ-2.formaat",
                lambda t, n=name, p=c.pattern: t[n].notnull() & ~t[n].re_search(p),
                lambda t, n=name, txt=c.pattern_text: _lit(f"{n} '") + _show(t[n]) + _lit(f"' heeft niet de vorm {txt}"),
            )
        )
    return rules


def _reason(t: ir.Table, parts: tuple[str | Shown, ...]) -> ir.StringValue:
    """A declared reject reason (``RowRule.reason``) as an Ibis text."""
    def part(p: str | Shown) -> ir.StringValue:
        if isinstance(p, str):
            return _lit(p)
        if p.labels is not None:
            return ibis.cases(*[(t[p.column] == value, words) for value, words in p.labels], else_="")
        return _show(t[f"__raw_{p.column}"] if p.raw else t[p.column])

    text = part(parts[0])
    for p in parts[1:]:
        text = text + part(p)
    return text


def _source_rules(source: Source) -> list[Rule]:
    """The source's own row rules (``Source.row_rules``; stage a, after the column rules)."""
    return [(r.rule, r.broken, lambda t, parts=r.reason: _reason(t, parts)) for r in source.row_rules]


def _first_failure(t: ir.Table, rules: list[Rule]) -> tuple[ir.StringValue, ir.StringValue]:
    if not rules:
        return ibis.null("string"), ibis.null("string")
    regel = ibis.cases(*[(cond(t), rule) for rule, cond, _ in rules], else_=ibis.null("string"))
    reden = ibis.cases(*[(cond(t), text(t)) for _, cond, text in rules], else_=ibis.null("string"))
    return regel, reden


# --------------------------------------------------------------------------- per source


def validate_source(
    con: ibis.BaseBackend,
    source: Source,
    located: engine.Located,
    accepted: dict[str, SourceResult],
    display: str | None = None,
    extracted: date | None = None,
) -> SourceResult:
    """Structure check, then the row rules in stages; returns accepted rows and rejects.
    ``extracted`` is the date the extract was taken: no birth or death date lies after it."""
    display = display or display_name(located)
    found = engine.file_columns(con, located, source.name, display)
    missing = [c for c in source.columns if c.name not in found]
    if missing:
        expected = "; ".join(f"'{c.name}' ({TYPE_DESCRIPTIONS[c.type]})" for c in missing)
        raise StructuralError(
            source.name,
            f"kolom ontbreekt; verwacht: {expected}. {_header_hint(found, missing)}",
            file=display,
            column=missing[0].name,
        )
    layout = engine.partition_keys(located)  # Hive partition folders (jaar=2019/) are no extra columns
    notices = [f"extra kolom '{c}' genegeerd" for c in found if c not in source.column_names and c not in layout]
    for c in source.columns:
        if not _compatible(c, found[c.name]):
            raise StructuralError(
                source.name,
                f"heeft type {found[c.name]}; verwacht {TYPE_DESCRIPTIONS[c.type]}",
                file=display,
                column=c.name,
            )
    zones = _time_zones(source, located, found, display)
    raw = engine.read_raw(con, located, source.name, source.column_names, display, zones)

    # stage a: typed columns + row rules. The big pass over all rows decides only *which*
    # rule a row breaks; the readable reason is built afterwards for the rejected rows only.
    # This is the one stored copy of the rows: the accepted rows are its rows without a
    # rule broken here, minus the (few) rows a later stage rejects.
    def typed_of(rows: ir.Table) -> ir.Table:
        return rows.select(
            "rij",
            **{c.name: _typed(rows, c, found[c.name]) for c in source.columns},
            **{f"__raw_{c.name}": _text(rows, c) for c in source.columns},
            **{f"__wide_{c.name}": _typed(rows, c, found[c.name], WIDE) for c in source.columns if c.type in ("int", "decimal")},
        )

    rules = _column_rules(source, extracted) + _source_rules(source)
    typed = typed_of(raw)
    _check_whole_columns(typed, source, display, extracted)
    stage_a = engine.materialize(
        con,
        f"checked_a_{source.name}",
        typed.select("rij", *source.column_names, regel=_first_failure(typed, rules)[0]),
    )
    stages = _Stages(con, source.name, stage_a.filter(stage_a.regel.isnull()).drop("regel"))
    failed = typed_of(raw.filter(raw.rij.isin(stage_a.filter(stage_a.regel.notnull()).rij)))
    regel, reden = _first_failure(failed, rules)
    stages.add("a", failed.select("rij", regel=regel, reden=reden))

    # stage b: duplicate keys (first occurrence kept); stage c: overlapping periods
    overlap = source.overlap_group is not None and source.period is not None
    if source.key and not (overlap and _duplicates_with_overlaps(source)):
        stages.add("b", _duplicates(stages.passed(), list(source.key)))
    if overlap:
        _overlaps(stages, source)

    # stage d: references to accepted rows of other sources. An anti-join against the
    # parent's keys rather than NOT IN (subquery): Spark runs a null-aware anti-join as a
    # nested loop over both tables. Whether the value is in the parent's file at all is
    # looked up for the few rows rejected.
    for i, ref in enumerate(source.references):
        parent = accepted[ref.parent]
        current = stages.passed()
        ok = parent.table.select(_k=parent.table[ref.parent_column]).distinct()
        unknown = current.filter(current[ref.column].notnull())
        unknown = unknown.anti_join(ok, unknown[ref.column] == ok._k)
        in_file = parent.raw.select(_k=parent.raw[ref.parent_column]).distinct().mutate(_in_file=ibis.literal(True))
        unknown = unknown.left_join(in_file, unknown[ref.column] == in_file._k).select(
            unknown.rij, unknown[ref.column], in_file._in_file
        )
        stages.add(
            f"d{i}",
            unknown.select(
                "rij",
                regel=_lit("DQ-2.verwijzing"),
                reden=_lit(f"{ref.column} '")
                + _show(unknown[ref.column])
                + ibis.ifelse(
                    unknown._in_file.notnull(),
                    _lit(f"' staat in {ref.parent}, maar die rij is afgewezen (zie rejects/{ref.parent}.csv)"),
                    _lit(f"' komt niet voor in {ref.parent}"),
                ),
            ),
        )

    # The rejects of every stage (few rows) with the values as delivered; the accepted rows
    # are stage a's minus these, an anti-join against a small table (the chain of stages is
    # not evaluated again).
    rejected = stages.rejected_rows()
    stored = engine.materialize(
        con,
        f"rejects_{source.name}",
        rejected.join(raw, "rij").select(
            "rij", "regel", "reden", *[raw[c].cast("string").name(c) for c in source.column_names]
        ),
    )
    stages.drop_all()
    table = stages.passed_a.anti_join(stored.select("rij"), "rij")

    counts = stored.group_by("regel").aggregate(n=ibis._.count()).to_pyarrow().to_pylist()
    reasons = {row["regel"]: int(row["n"]) for row in counts}
    n_rejected = sum(reasons.values())
    totals = raw.aggregate(read=raw.count()).cross_join(table.aggregate(accepted=table.count()))
    totals = totals.to_pyarrow().to_pylist()[0]
    read, n_accepted = int(totals["read"]), int(totals["accepted"])
    if read != n_accepted + n_rejected:  # DQ-1
        raise ConsistencyError(
            f"{display}: {read} rijen gelezen maar {n_accepted} geaccepteerd + {n_rejected} afgewezen (DQ-1)"
        )
    # Free the file as read (a payroll extract is millions of rows) unless another
    # source's reference check still needs it.
    if source.name not in REFERENCED:
        engine.drop(con, raw.get_name())
        raw = None
    return SourceResult(
        name=source.name,
        file=display,
        sha256=sha256_input(located),
        read=read,
        accepted=n_accepted,
        rejected=n_rejected,
        reasons=reasons,
        table=table,
        rejects=stored.order_by("rij"),
        raw=raw,
        columns=source.column_names,
        notices=notices,
    )


def _header_hint(found: dict[str, str], missing: list[Column]) -> str:
    names = list(found)
    shown = ", ".join(f"'{n}'" for n in names[:12]) + (" …" if len(names) > 12 else "")
    hint = f"Gevonden kolommen: {shown}."
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        hint += " Het bestand lijkt gescheiden met ';' of tabs; verwacht worden komma's."
    lower = {n.strip().lower(): n for n in names}
    near = [f"'{lower[c.name]}' → '{c.name}'" for c in missing if c.name in lower]
    if near:
        hint += f" Let op hoofdletters en spaties in de kolomnamen: {', '.join(near)}."
    return hint


class _Stages:
    """The validation stages of one source (see ``validate_source``). A stage yields only
    the rows it rejects (``rij``, ``regel``, ``reden``; few). The rows that pass are stage
    a's accepted rows minus those of the later stages (anti-joins on ``rij`` against small
    tables), so the millions of accepted rows are stored once, by stage a, and no stage's
    window or join is evaluated again for a later one. A stage's rejects are stored when a
    later stage needs the rows that passed it; those no later stage needs are computed in
    the query that stores the rejects of all stages (one query fewer per stage)."""

    def __init__(self, con: ibis.BaseBackend, source: str, passed_a: ir.Table):
        self.con, self.source, self.passed_a = con, source, passed_a
        self.tables: list[str] = []
        self.parts: dict[str, ir.Table] = {}  # stage → its rejects (stored or an expression)
        self.later: list[str] = []  # stages b, c, d: their rejects no longer pass
        self.stored: set[str] = set()

    def add(self, stage: str, rows: ir.Table) -> ir.Table:
        """The rejects ``rows`` (``rij, regel, reden``) of ``stage``; returns them."""
        self.parts[stage] = rows.select("rij", "regel", "reden")
        if stage != "a":
            self.later.append(stage)
        return self.parts[stage]

    def keep(self, table: str, rows: ir.Table) -> ir.Table:
        """Store an intermediate result of the stages (dropped with them)."""
        stored = engine.materialize(self.con, table, rows)
        self.tables.append(table)
        return stored

    def passed(self) -> ir.Table:
        """The rows that passed every stage so far."""
        rows = self.passed_a
        for stage in self.later:
            if stage not in self.stored:
                self.parts[stage] = self.keep(f"afgewezen_{stage}_{self.source}", self.parts[stage])
                self.stored.add(stage)
            rows = rows.anti_join(self.parts[stage].select("rij"), "rij")
        return rows

    def rejected_rows(self) -> ir.Table:
        parts = list(self.parts.values())
        return ibis.union(*parts) if len(parts) > 1 else parts[0]

    def drop_all(self) -> None:
        for table in self.tables:
            engine.drop(self.con, table)


def _duplicates(current: ir.Table, key: list[str]) -> ir.Table:
    """Stage b (DQ-2.dubbel): rows whose key occurred before; the first occurrence (lowest
    ``rij``) is kept. The few repeated keys with their first row come from an aggregation,
    joined back: much cheaper than a window over every row."""
    repeated = current.group_by(key).aggregate(_aantal=current.count(), _eerste=current.rij.min())
    repeated = repeated.filter(repeated._aantal > 1).select(*key, "_eerste")
    rows = current.join(repeated, key)
    rows = rows.filter(rows.rij != rows._eerste)
    return rows.select(
        "rij",
        regel=_lit("DQ-2.dubbel"),
        reden=_key_text(rows, key) + _lit(" kwam al voor in rij ") + _show(rows._eerste),
    )


def _narrowed_overlap_check(source: Source) -> bool:
    """Can stage c look at a few groups only (``_overlaps``)? Yes when the group, begin and
    end columns are required: after stage a they are present and end >= begin
    (DQ-2.periode)."""
    b, e = source.period
    return not any(source.column(c).nullable for c in (source.overlap_group, b, e))


def _duplicates_with_overlaps(source: Source) -> bool:
    """Is stage b done by ``_overlaps``? When the key holds the group and the begin, rows
    with the same key are in the same group and overlap, so they are among its few rows."""
    if not source.key or not _narrowed_overlap_check(source):
        return False
    return {source.overlap_group, source.period[0]} <= set(source.key)


def _overlaps(stages: _Stages, source: Source) -> None:
    """Stage c (DQ-2.overlap): within a group (``overlap_group``), periods in order of their
    begin (then ``rij``); a period that begins on or before the latest end of the periods
    before it is rejected.

    That window (a running maximum) is evaluated only for the groups in which some period
    begins on or before the end of the period just before it (``lag``, one cheaper pass).
    In every other group each period begins after the previous one ended, and as every end
    is on or after its begin, also after all earlier ones ended: nothing overlaps there.
    Rows with the same begin (duplicates too) always put their group among the few.

    When the key holds the group and the begin (``_duplicates_with_overlaps``), stage b is
    done here as well, on those few groups: every repeated key is in one of them."""
    b, e = source.period
    g = source.overlap_group
    rows = stages.passed()
    if _narrowed_overlap_check(source):
        # ties in the begin need no order: either row puts the group among the few
        flagged = rows.select(g, b, _vorig_einde=rows[e].lag().over(group_by=g, order_by=rows[b]))
        groups = flagged.filter(flagged[b] <= flagged._vorig_einde).select(g).distinct()
        rows = stages.keep(f"verdacht_{stages.source}", rows.semi_join(groups, g))
    if _duplicates_with_overlaps(source):
        repeated = stages.add("b", _duplicates(rows, list(source.key)))
        rows = rows.anti_join(repeated.select("rij"), "rij")
    earlier_end = rows[e].max().over(rows=(None, -1), group_by=g, order_by=[rows[b], rows.rij])
    rows = rows.select("rij", g, b, _eerder_einde=earlier_end)
    rows = rows.filter(rows._eerder_einde.notnull() & (rows[b] <= rows._eerder_einde))
    stages.add(
        "c",
        rows.select(
            "rij",
            regel=_lit("DQ-2.overlap"),
            reden=_lit("tijdvak vanaf ")
            + _show(rows[b])
            + _lit(f" overlapt een eerder tijdvak van {g} '")
            + _show(rows[g])
            + _lit("' (dat loopt t/m ")
            + _show(rows._eerder_einde)
            + _lit(")"),
        ),
    )


def _key_text(t: ir.Table, key: list[str]) -> ir.StringValue:
    text = _lit("")
    for i, k in enumerate(key):
        text = text + _lit(("" if i == 0 else ", ") + f"{k} '") + _show(t[k]) + _lit("'")
    return text


# DQ-2, the threshold between a fault in the rows and a fault in the column: a column holding
# at least this many values of which *every one* breaks the same rule of that column (type,
# range, code list, format) is wrong as a whole — capitalised codes, dates as day numbers,
# hours in hundredths — and stops the run; so does a required column that is empty in at
# least this many rows. With fewer values, or when some value passes, the bad rows are
# rejected one by one (docs/contract.md "Kolomfouten").
MIN_VALUES_FOR_TYPE_ERROR = 5


def _check_whole_columns(typed: ir.Table, source: Source, display: str, extracted: date | None) -> None:
    """DQ-2: a column of which every delivered value breaks the same rule of the column is
    structural (``MIN_VALUES_FOR_TYPE_ERROR``). ``typed`` holds the typed values, the values
    as delivered (``__raw_``) and the wide numbers (``__wide_``); one query counts them."""
    checks = {"rows": typed.count()}
    for i, c in enumerate(source.columns):
        checks[f"n{i}"] = typed[f"__raw_{c.name}"].notnull().sum()
        for j, (_, cond, _) in enumerate(_value_rules(c, extracted)):
            checks[f"f{i}_{j}"] = cond(typed).sum()
    found = typed.aggregate(**checks).to_pyarrow().to_pylist()[0]
    rows = found["rows"] or 0
    for i, c in enumerate(source.columns):
        n = found[f"n{i}"] or 0
        if n == 0 and not c.nullable and rows >= MIN_VALUES_FOR_TYPE_ERROR:
            raise StructuralError(
                source.name, f"de kolom is leeg in alle {rows} rijen, maar is verplicht", file=display, column=c.name
            )
        if n < MIN_VALUES_FOR_TYPE_ERROR:
            continue
        for j, (rule, cond, reason) in enumerate(_value_rules(c, extracted)):
            if (found[f"f{i}_{j}"] or 0) < n:
                continue
            if rule in ("DQ-2.datum", "DQ-2.getal", "DQ-2.waar_onwaar"):
                message = f"geen enkele waarde is {TYPE_DESCRIPTIONS[c.type]} ({n} waarden); verkeerd kolomtype?"
            else:
                first = typed.filter(cond(typed)).order_by("rij").limit(1)
                example = first.select(r=reason(first)).to_pyarrow().to_pylist()[0]["r"]
                message = (
                    f"alle {n} waarden breken dezelfde regel {rule} (bijvoorbeeld: {example}); "
                    "een fout in de hele kolom, niet in enkele rijen"
                )
            raise StructuralError(source.name, message, file=display, column=c.name)


def _time_zones(source: Source, located: engine.Located, found: dict[str, str], display: str) -> dict[str, str]:
    """The date columns delivered as Parquet timestamps with a time zone, with the zone each
    is read in (``engine.read_raw``): the zone the file names. A timestamp whose zone the
    file does not name cannot be turned into a date without guessing: structural (DQ-2)."""
    if located.fmt != "parquet":
        return {}
    known = engine.time_zones(located)
    zones: dict[str, str] = {}
    for c in source.columns:
        if c.type != "date":
            continue
        if known is not None and c.name in known:
            zone = known[c.name]
        elif known is None and "TIME ZONE" in found[c.name].upper():
            zone = None
        else:
            continue  # a date, or a timestamp without a time zone: its own calendar date
        if zone is None:
            raise StructuralError(
                source.name,
                "bevat tijdstempels met een tijdzone, maar het bestand noemt de tijdzone niet; de datum zou "
                "verschuiven. Lever een datum (DATE) of een tijdstempel met de tijdzone in het Arrow-schema",
                file=display,
                column=c.name,
            )
        zones[c.name] = zone
    return zones


# --------------------------------------------------------------------------- all inputs


def load_inputs(
    con: ibis.BaseBackend,
    input_dir: str | Path | InputFolder,
    source_names: list[str],
    bronnen_required: list[str],
    progress: Callable[[str], None] | None = None,
) -> Inputs:
    """Validate ``source_names`` (in dependency order) from ``input_dir`` (a local path, or
    with Spark a Hadoop URL: sources/files.py).

    Raises ``StructuralError`` for a missing input folder, file, column or unusable column
    (DQ-2) — always before anything is written."""
    folder = check_input_dir(input_dir, con)
    extractiedatum, bronnen_sha = folder.bronnen(bronnen_required)
    # All files must exist before any heavy work starts.
    located: dict[str, tuple[engine.Located, str]] = {}
    for name in [n for n in VALIDATION_ORDER if n in source_names]:
        source = SOURCES[name]
        found = folder.find(source)
        if found is None and source.packaged:
            located[name] = (
                engine.Located(str(packaged_file(source.packaged)), "csv", packaged=True),
                f"{source.packaged} ({source.packaged_note})",
            )
        elif found is None and source.optional:
            continue  # an optional input (TR-3 nulmeting, TR-5 werkkamer_indicatie) may be absent
        elif found is None:
            raise StructuralError(
                name,
                f"ontbreekt in {folder.location} (verwacht {name}.csv, {name}.parquet of een map {name}/ met Parquet-bestanden)",
                file=f"{name}.csv",
            )
        else:
            located[name] = (found, display_name(found))
    results: dict[str, SourceResult] = {}
    for name, (found, display) in located.items():
        if progress:
            progress(name)
        extracted = extractiedatum.get(name) or max(extractiedatum.values(), default=None) or date.today()
        results[name] = validate_source(con, SOURCES[name], found, results, display=display, extracted=extracted)
    return Inputs(results, extractiedatum, bronnen_sha, folder.location)

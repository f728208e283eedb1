"""Region attribution: R-1 … R-4 and R-7, for one day (beschut werk) or many peildata at
once (banenafspraak), as Ibis expressions on both engines.

Every date of a report is attributed with the classification of P's year (R-2, R-7): the
small table ``codes`` of ``regiorapportage.geography`` — every gemeente code of that year,
plus every older code that the gemeentelijke herindelingen lead to one of them — is joined
once to the (person, date) rows.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

NEDERLAND = "NL01"
NEDERLAND_NAAM = "Nederland"
ONBEKEND = "ONB"
ONBEKEND_NAAM = "Onbekend"
NIET_IN_TE_DELEN = "AM99"  # a valid code, not a published region

# how a person's gemeente code reached the classification of P's year (``herkomst``;
# the map is made in ``regiorapportage.geography``)
HERINDELING = "herindeling"  # an older code, followed through mergers to its successor
SPLITSING = "splitsing"  # a split gemeente: the successor with the largest share (decision)


def residence_on(brp: ir.Table, day: date) -> ir.Table:
    """R-1: each person's gemeente on ``day``: the residence record covering the day (T-2);
    if none covers it, the most recent record that began before it (last known address).
    Overlapping records: the one that began last wins, then the later row in the file.

    Returns ``persoon_id, gemeente_code`` — one row per person with a record begun by ``day``.
    """
    candidates = brp.filter(brp.begindatum <= day)
    return _pick_residence(candidates, ibis.literal(day), ["persoon_id"]).select("persoon_id", "gemeente_code")


def _pick_residence(candidates: ir.Table, day: ir.DateValue, group: list[str]) -> ir.Table:
    """R-1 ranking among records begun by ``day``: covering records first, then the one
    that began last, then the later row in the file."""
    covers = (candidates.einddatum.isnull() | (candidates.einddatum >= day)).cast("int8")
    ranked = candidates.mutate(
        _rank=ibis.row_number().over(
            group_by=group,
            order_by=[ibis.desc(covers), ibis.desc(candidates.begindatum), ibis.desc(candidates.rij)],
        )
    )
    return ranked.filter(ranked._rank == 0)


def residences_on(brp: ir.Table, person_days: ir.Table) -> ir.Table:
    """R-1 for many (person, day) pairs at once: ``person_days`` has one row per
    ``persoon_id`` and ``peildatum`` and may have more columns; returns its rows and
    columns with ``gemeente_code``, empty when the person has no residence record begun by
    that day (one pass, however many peildata)."""
    columns = list(person_days.columns)
    # Most persons have one residence record: it is their gemeente on every day from its
    # begin (covering, or last known address). Only persons with several records need the
    # ranking — which keeps the window function off millions of (person, day) pairs — and
    # the pairs are joined to one row per person rather than to one per pair.
    records = brp.group_by("persoon_id").aggregate(
        _n=brp.count(), _begin=brp.begindatum.min(), _gemeente=brp.gemeente_code.max()
    )
    pairs = person_days.left_join(records, "persoon_id").select(
        *[person_days[c] for c in columns], records._n, records._begin, records._gemeente
    )
    one = pairs.filter(pairs._n.isnull() | (pairs._n == 1))
    one = one.select(
        *columns, gemeente_code=ibis.ifelse(one._begin <= one.peildatum, one._gemeente, ibis.null("string"))
    )
    several = pairs.filter(pairs._n > 1).select(*columns)
    days = several.select("persoon_id", "peildatum")
    rows = brp.select("persoon_id", "gemeente_code", "begindatum", "einddatum", "rij")
    candidates = days.join(rows, [days.persoon_id == rows.persoon_id, rows.begindatum <= days.peildatum])
    picked = _pick_residence(candidates, candidates.peildatum, ["persoon_id", "peildatum"])
    several = several.left_join(picked, ["persoon_id", "peildatum"]).select(
        *[several[c] for c in columns], picked.gemeente_code
    )
    return ibis.union(one, several)


def regions_on(
    person_days: ir.Table, brp: ir.Table, codes: ir.Table, fallback: ir.Table | None = None
) -> ir.Table:
    """R-1, R-2, R-4, R-7 for many (person, peildatum) pairs: the region of each person on
    each day, in the classification of the year of the report's P (``codes``,
    ``geography.region_map``), so that every peildatum of a report — P-1q (FS-2), the nulmeting,
    the time series — is shown in the same regional division; an older gemeente code counts
    in the region of the gemeente it became (R-7). No gemeente, or a code that leads to no
    gemeente of the classification: ``ONB``.

    ``person_days`` has one row per (``persoon_id``, ``peildatum``) and may have more
    columns. ``fallback`` (``peildatum, persoon_id, gemeente_code``) is used, as in
    ``attribute_regions``, for persons without *any* BRP residence record (R-3).

    Returns the rows and columns of ``person_days`` with ``gemeente_code`` (as found),
    ``regio_code`` and ``herkomst`` (R-7) added (so the caller needs no join back to its
    pairs)."""
    columns = list(person_days.columns)
    located = residences_on(brp, person_days)
    if fallback is not None:
        # an anti-join, not NOT IN (subquery): Spark runs the latter as a nested loop
        without_brp = fallback.anti_join(brp.select("persoon_id").distinct(), "persoon_id")
        fb = without_brp.select(
            without_brp.peildatum, without_brp.persoon_id, advies_gemeente=without_brp.gemeente_code
        )
        located = located.left_join(
            fb, [located.persoon_id == fb.persoon_id, located.peildatum == fb.peildatum]
        ).select(
            *[located[c] for c in columns],
            gemeente_code=located.gemeente_code.coalesce(fb.advies_gemeente),
        ).view()  # keeps Ibis from fusing the next join into this chain (it cannot, with a computed key)
    return located.left_join(codes, "gemeente_code").select(
        *[located[c] for c in columns],
        located.gemeente_code,
        regio_code=codes.regio_code.coalesce(ibis.literal(ONBEKEND)),
        herkomst=codes.herkomst,
    )


def classification(gemeenten: ir.Table, year: int) -> ir.Table:
    """R-2: gemeente → arbeidsmarktregio in the classification of ``year``."""
    return gemeenten.filter(gemeenten.jaar == year).select(
        "gemeente_code",
        regio_code=gemeenten.arbeidsmarktregio_code,
        regio_naam=gemeenten.arbeidsmarktregio_naam,
    )


def attribute_regions(
    persons: ir.Table,
    brp: ir.Table,
    codes: ir.Table,
    day: date,
    fallback: ir.Table | None = None,
) -> ir.Table:
    """R-1 … R-4, R-7: the region of every person in ``persons`` (column ``persoon_id``) on
    ``day``, in the classification of P's year (``codes``, ``geography.region_map``).

    ``fallback`` (``persoon_id, gemeente_code``) is used for persons without *any* BRP
    residence record (R-3: for beschut werk the gemeente on the most recent advice); a person
    whose records all begin after ``day`` has a BRP residence, just not on that day, and
    stays without a gemeente. A person without a gemeente, or whose gemeente is not in the
    classification, gets region ``ONB`` (R-4); the gemeente code is kept so the warning can
    name it.

    Returns ``persoon_id, gemeente_code, regio_code, herkomst`` — exactly one row per input
    person.
    """
    people = persons.select("persoon_id").distinct()
    home = residence_on(brp, day).rename(woon_gemeente="gemeente_code")
    joined = people.left_join(home, "persoon_id").select(people.persoon_id, home.woon_gemeente)
    if fallback is not None:
        # an anti-join, not NOT IN (subquery): Spark runs the latter as a nested loop
        without_brp = fallback.anti_join(brp.select("persoon_id").distinct(), "persoon_id")
        fb = without_brp.select("persoon_id", advies_gemeente=without_brp.gemeente_code)
        joined = joined.left_join(fb, "persoon_id").select(joined.persoon_id, joined.woon_gemeente, fb.advies_gemeente)
        gemeente = joined.woon_gemeente.coalesce(joined.advies_gemeente)
    else:
        gemeente = joined.woon_gemeente
    located = joined.select("persoon_id", gemeente_code=gemeente)
    return located.left_join(codes, "gemeente_code").select(
        located.persoon_id,
        located.gemeente_code,
        regio_code=codes.regio_code.coalesce(ibis.literal(ONBEKEND)),
        herkomst=codes.herkomst,
    )


def attribution_counts(located: ir.Table) -> ir.Table:
    """R-4 and R-7 per date: of the (person, ``peildatum``) rows of ``located`` (as
    :func:`regions_on` returns them), how many reached their region through a herindeling,
    how many of those through a split gemeente, and how many are in ONB."""
    return located.group_by("peildatum").aggregate(
        personen=located.count(),
        herindeling=located.herkomst.notnull().cast("int64").sum(),
        splitsing=(located.herkomst == SPLITSING).fill_null(False).cast("int64").sum(),
        onb=(located.regio_code == ONBEKEND).cast("int64").sum(),
    )


def unknown_gemeenten(attributed: ir.Table) -> ir.Table:
    """R-4 warning: persons in ONB by gemeente code (null = no gemeente at all)."""
    onb = attributed.filter(attributed.regio_code == ONBEKEND)
    return onb.group_by("gemeente_code").aggregate(personen=onb.persoon_id.nunique())

"""Time (T-1, T-2) and region (R-1 … R-8): what every publication shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

NL, NL_NAAM = "NL01", "Nederland"
ONB, ONB_NAAM = "ONB", "Onbekend"


@dataclass(frozen=True, order=True)
class Quarter:
    """T-1: a reporting quarter ``YYYYQn``; its peildatum is the last day of the quarter."""

    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        m = re.fullmatch(r"(\d{4})Q([1-4])", str(text))
        if not m:
            raise ValueError(f"quarter must look like 2019Q2, not {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def first_day(self) -> pd.Timestamp:
        return pd.Timestamp(self.year, 3 * self.q - 2, 1)

    @property
    def peildatum(self) -> pd.Timestamp:
        return self.first_day + pd.DateOffset(months=3) - pd.Timedelta(days=1)

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    @classmethod
    def of(cls, day: pd.Timestamp) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


def covers(begin: pd.Series, end: pd.Series, day: pd.Timestamp) -> pd.Series:
    """T-2: closed interval; an empty end means still open."""
    return (begin <= day) & (end.isna() | (end >= day))


class MissingClassification(ValueError):
    """R-8: no classification for the year of P; the run is refused before anything is written."""


def classification(gemeenten: pd.DataFrame, year: int) -> pd.DataFrame:
    """R-2: gemeente_code → regio_code, regio_naam in the classification of ``year``.
    ``gemeenten`` holds every year available (packaged and delivered, R-8); a year without
    rows is refused, naming the years there are and how to add one."""
    rows = gemeenten[gemeenten["jaar"] == year]
    if rows.empty:
        years = ", ".join(str(int(y)) for y in sorted(gemeenten["jaar"].dropna().unique()))
        raise MissingClassification(
            f"geen gemeentelijke indeling voor {year} (R-8): beschikbaar zijn {years or 'geen'}; lever de "
            f"indeling van {year} aan als invoer gemeenten (jaar, gemeente_code, gemeente_naam, "
            f"arbeidsmarktregio_code, arbeidsmarktregio_naam) met jaar = {year}")
    return rows.rename(columns={"arbeidsmarktregio_code": "regio_code", "arbeidsmarktregio_naam": "regio_naam"})[
        ["gemeente_code", "regio_code", "regio_naam"]
    ]


# R-7 outcome of one code found on a date, for the warnings per date
IN_INDELING, HERINDELING, SPLITSING, ONBEKENDE_CODE, GEEN_GEMEENTE = (
    "in_indeling", "herindeling", "splitsing", "onbekende_code", "geen_gemeente")


def successors(herindelingen: pd.DataFrame) -> tuple[dict[str, str], set[str]]:
    """R-7, one step: every ``oude_code`` → the successor it is followed to, and the set of old
    codes that were split over more than one successor.

    A merged gemeente has one successor. A split takes the successor with the largest
    ``aandeel`` (SPEC decision: addresses are not delivered). *Decision* (not in SPEC): an empty
    ``aandeel`` ranks below any given one (also below 0), and equal shares go to the lowest
    ``nieuwe_code`` (string order), so the choice never depends on row order. The step does
    not look at ``datum``: a code is followed whatever date it was found on (a register may
    carry an old code after its end date; the table names every code once as dissolved)."""
    h = herindelingen[["oude_code", "nieuwe_code", "aandeel"]]
    h = h.assign(gegeven=h["aandeel"].notna(), rang=h["aandeel"].fillna(0).astype("int64"))
    h = h.sort_values(["oude_code", "gegeven", "rang", "nieuwe_code"], ascending=[True, False, False, True])
    first = h.drop_duplicates("oude_code")
    n_successors = h.groupby("oude_code")["nieuwe_code"].nunique()
    return dict(zip(first["oude_code"], first["nieuwe_code"])), set(n_successors[n_successors > 1].index)


def follow(codes: set[str], herindelingen: pd.DataFrame) -> pd.DataFrame:
    """R-7: every old code of the herindelingen that is not in ``codes`` (the classification
    of P's year), followed step by step to the first code on its way that is — index
    ``oude_code``: ``gemeente_code`` (of P's year), ``splitsing`` (a split on the way). Codes
    that never reach the classification are left out (they go to ONB, R-4). A small table of
    codes (≈ 100 rows), not of persons."""
    succ, split = successors(herindelingen)
    rows = []
    for old in succ:
        if old in codes:
            continue  # a code of P's classification is never followed
        code, seen, via_split = old, set(), False
        while code not in codes and code in succ and code not in seen:  # `seen`: a cycle stops
            seen.add(code)
            via_split |= code in split
            code = succ[code]
        if code in codes:
            rows.append((old, code, via_split))
    return pd.DataFrame(rows, columns=["oude_code", "gemeente_code", "splitsing"]).set_index("oude_code")


class Indeling:
    """The regions of one report: the classification of P's year (R-2, R-8) and every code
    that the herindelingen lead into it (R-7), for every date the report uses. Records, per
    date, how each attributed person's code was found (R-4/R-7 warnings per date)."""

    def __init__(self, classes: pd.DataFrame, herindelingen: pd.DataFrame):
        self.classes = classes
        self.followed = follow(set(classes["gemeente_code"]), herindelingen)
        direct = classes.set_index("gemeente_code")["regio_code"]
        via = self.followed["gemeente_code"].map(direct)
        self.mapping = pd.concat([direct, via])  # gemeente code (any year) → regio_code of P's year
        outcome = pd.Series(IN_INDELING, index=direct.index)
        followed = self.followed["splitsing"].map({True: SPLITSING, False: HERINDELING})
        self.outcome = pd.concat([outcome, followed])
        self._log: list[pd.DataFrame] = []

    def to_region(self, gemeente: pd.Series, day: pd.Timestamp | None = None) -> pd.Series:
        """R-2/R-7/R-4: gemeente_code (of any date) → regio_code of P's year; no gemeente, or a
        code that does not lead into the classification → ONB."""
        if day is not None:
            outcome = gemeente.map(self.outcome).astype(object)
            outcome[outcome.isna()] = ONBEKENDE_CODE
            outcome[gemeente.isna()] = GEEN_GEMEENTE
            self._log.append(pd.DataFrame({"datum": day, "persoon_id": gemeente.index, "gemeente_code": gemeente.to_numpy(),
                                           "uitkomst": outcome.to_numpy()}))
        return gemeente.map(self.mapping).fillna(ONB).astype("str")

    def warnings(self) -> pd.DataFrame:
        """R-4/R-7 per date used: ``datum, uitkomst, gemeente_code, personen`` — persons counted
        once per date (the first code they were attributed with on it), for every outcome but
        ``in_indeling``: ``herindeling`` / ``splitsing`` (followed into P's classification;
        split = via a gemeente split over several successors), ``onbekende_code`` (ONB),
        ``geen_gemeente`` (ONB)."""
        if not self._log:
            return pd.DataFrame(columns=["datum", "uitkomst", "gemeente_code", "personen"])
        log = pd.concat(self._log, ignore_index=True).drop_duplicates(["datum", "persoon_id"])
        log = log[log["uitkomst"] != IN_INDELING]
        return (log.groupby(["datum", "uitkomst", "gemeente_code"], dropna=False).size().rename("personen")
                .reset_index().sort_values(["datum", "uitkomst", "gemeente_code"], ignore_index=True))


def region_list(classes: pd.DataFrame) -> pd.DataFrame:
    """Every published code (CONTRACT, long format): NL01, the AMxx codes ascending (AM99
    among them), ONB — in this order (decisions.md, "Region order")."""
    am = classes[["regio_code", "regio_naam"]].drop_duplicates("regio_code").sort_values("regio_code")
    return pd.concat(
        [pd.DataFrame({"regio_code": [NL], "regio_naam": [NL_NAAM]}), am,
         pd.DataFrame({"regio_code": [ONB], "regio_naam": [ONB_NAAM]})],
        ignore_index=True,
    )


def sort_brp(brp: pd.DataFrame) -> pd.DataFrame:
    """BRP records in the order R-1 prefers them (last = preferred): by begindatum, then row."""
    return brp.sort_values(["persoon_id", "begindatum", "rij"])


def gemeente_on(brp: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """R-1: persoon_id → gemeente_code on ``day``: the residence record covering the day; with
    several, the one that began last, then the later row of the file (decisions.md); when none
    covers it, the record that began last before the day (last known address).
    ``brp`` must be sorted by ``sort_brp``."""
    started = brp[brp["begindatum"] <= day]
    covering = started[started["einddatum"].isna() | (started["einddatum"] >= day)]
    # the last record per person wins; covering records are put after all started ones
    best = pd.concat([started, covering]).drop_duplicates("persoon_id", keep="last")
    return best.set_index("persoon_id")["gemeente_code"]


def region_on(brp: pd.DataFrame, indeling: Indeling, persons: pd.Index, day: pd.Timestamp) -> pd.Series:
    """R-3/R-7: the region of each of ``persons`` on ``day`` in the classification of P's year
    (ONB without a gemeente)."""
    gemeente = gemeente_on(brp, day).reindex(persons)
    return indeling.to_region(gemeente, day)

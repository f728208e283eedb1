"""Random and hand-made populations of the banenafspraak inputs (hypothesis strategies),
shared by the property tests of the banenafspraak publications and the second-oracle tests
of the pandas reference."""

from __future__ import annotations

import calendar
import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from conftest import AMS, RDAM, UTR, WBET, employer, job, lives, period, person, profile, registration
from regiorapportage.quarter import Quarter
from regiorapportage.sources.files import default_gemeenten

QUARTER = Quarter(2019, 2)
P = QUARTER.peildatum  # 2019-06-30
Q = QUARTER.previous.peildatum  # P-1q, 2019-03-31
UNKNOWN = "GM9999"  # not in the 2019 classification → ONB
# codes of gemeenten dissolved before 2019 — Ten Boer (into Groningen 2019), Littenseradiel
# (split 2018, largest share to Súdwest-Fryslân), Nieuw-Lekkerland (2013 Molenwaard, 2019
# Molenlanden): a report of 2019 counts them in the region of the gemeente they became
HISTORICAL = ("GM0009", "GM0140", "GM0571")
GEMEENTEN = (AMS, UTR, RDAM, WBET, UNKNOWN, *HISTORICAL)
WERKGEVERS = ("W1", "W2", "W3", "W4", "WX")  # WX never has a werkgever_tijdvak (onbekend)
NL, ONB = "NL01", "ONB"

GRONDSLAGEN = (
    "wajong", "wsw_begeleid_werk", "wsw_detachering", "wiw_id", "indicatie_banenafspraak",
    "verminderde_loonwaarde", "quotumgroep",
)
# verminderde_loonwaarde twice: FS-4's praktijkroute needs it as the earliest registration
GRONDSLAGEN_DRAWN = (*GRONDSLAGEN, "verminderde_loonwaarde")
EINDE_REDENEN = (
    "aow", "overlijden", "duurzaam_geen_arbeidsvermogen", "beschut_werk", "uitschrijving_verzoek", "bezwaar", "overig",
)
# CI: few examples (~2 s each), derandomized (reproducible). Locally, e.g.
# REGIO_EXAMPLES=200 REGIO_RANDOM=1 runs many more, with fresh random examples each time.
SCALE = max(1, int(os.environ.get("REGIO_EXAMPLES", "5"))) / 5
PROPERTY_SETTINGS = dict(
    deadline=None,
    derandomize=not os.environ.get("REGIO_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    # each example runs the engine (~1 s): shrinking a failure would take many minutes, so
    # the first failing example is reported as generated (set REGIO_SHRINK=1 to shrink)
    phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("REGIO_SHRINK") else []),
)


TIJDVAK_TYPES = ("maand", "vierweken", "kwartaal", "halfjaar", "jaar")  # T-4


def gemeenten_rows(year: int) -> list[dict]:
    """The packaged 2019 classification, relabelled as ``year`` (for runs in other years)."""
    with open(default_gemeenten(), encoding="utf-8") as f:
        return [{**r, "jaar": year} for r in csv.DictReader(f)]


# =========================================================================== generation


def day_between(lo: date, hi: date):
    return st.integers(0, (hi - lo).days).map(lambda n: lo + timedelta(days=n))


def key_days(quarter: Quarter) -> list[date]:
    """Days where the rules change their mind: around P-1q, P, 1 January, 2018-12-01."""
    p, q = quarter.peildatum, quarter.previous.peildatum
    one = timedelta(days=1)
    jan1 = {date(p.year, 1, 1), date(q.year, 1, 1)}
    return sorted(
        {date(2018, 11, 30), date(2018, 12, 1), q - one, q, q + one, p - one, p, p + one}
        | jan1 | {j - one for j in jan1} | {j + one for j in jan1}
    )


hours = st.one_of(
    st.just(Decimal("0")),
    st.decimals(min_value=0, max_value=250, places=2),
    st.decimals(min_value=0, max_value=5, places=6),
)


def month_end(y, m):
    return date(y, m, calendar.monthrange(y, m)[1])


def holding(kind: str, anchor: date, draw) -> tuple[date, date]:
    """A payroll period of ``kind`` that holds ``anchor`` (T-3 shapes)."""
    if kind == "maand":
        return date(anchor.year, anchor.month, 1), month_end(anchor.year, anchor.month)
    if kind == "vierweken":
        begin = anchor - timedelta(days=draw(st.integers(0, 27)))
        return begin, begin + timedelta(days=27)
    if kind == "kwartaal":
        m = 3 * ((anchor.month - 1) // 3) + 1
        return date(anchor.year, m, 1), month_end(anchor.year, m + 2)
    if kind == "halfjaar":
        m = 1 if anchor.month <= 6 else 7
        return date(anchor.year, m, 1), month_end(anchor.year, m + 5)
    return date(anchor.year, 1, 1), date(anchor.year, 12, 31)


def quarter_span(q: Quarter) -> tuple[str, str]:
    return str(q.first_day), str(q.peildatum)


@dataclass
class Population:
    src: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def __repr__(self):  # hypothesis prints the falsifying example: keep it readable
        return "Population(" + ", ".join(f"{k}={v!r}" for k, v in self.src.items() if v) + ")"


@st.composite
def populations(draw, max_persons=25, quarter=QUARTER):
    """A random small population around ``quarter`` (P) and the quarter before (P-1q)."""
    P, Q = quarter.peildatum, quarter.previous.peildatum
    a_day = st.one_of(st.sampled_from(key_days(quarter)), day_between(date(P.year - 2, 6, 1), date(P.year, 12, 31)))
    pop = Population()
    s = pop.src
    n = draw(st.integers(1, max_persons))
    for i in range(n):
        pid = f"P{i:02d}"
        s["personen"].append(person(pid, draw(st.sampled_from(["1980-05-05", "1953-02-10", "1999-12-31"]))))
        # R-1 … R-4: where the person lives
        kind = draw(st.sampled_from(["none", "one", "one", "move", "move", "dup", "overlap", "late", "ended"]))
        g1, g2 = draw(st.sampled_from(GEMEENTEN)), draw(st.sampled_from(GEMEENTEN))
        move = draw(day_between(Q, P))
        if kind == "one":
            s["brp_verblijf"].append(lives(pid, g1))
        elif kind == "move":  # moves on a day between P-1q and P (both included)
            s["brp_verblijf"] += [lives(pid, g1, "2000-01-01", str(move - timedelta(days=1))), lives(pid, g2, str(move))]
        elif kind == "dup":  # two identical records covering every day
            s["brp_verblijf"] += [lives(pid, g1), lives(pid, g1)]
        elif kind == "overlap":  # a second record covering the same days from ``move`` on
            s["brp_verblijf"] += [lives(pid, g1), lives(pid, g2, str(move))]
        elif kind == "late":  # first record after P-1q: no gemeente on P-1q
            s["brp_verblijf"].append(lives(pid, g1, str(move + timedelta(days=1))))
        elif kind == "ended":  # last known address (R-1 decision)
            s["brp_verblijf"].append(lives(pid, g1, "2000-01-01", str(move - timedelta(days=1))))
        # BA-1 / BA-2: 1–3 registrations
        for _ in range(draw(st.integers(1, 3))):
            begin = draw(a_day)
            end = draw(st.one_of(st.none(), a_day, day_between(Q, P)))
            if end is not None and end < begin:
                begin, end = end, begin
            reden = draw(st.one_of(st.none(), st.sampled_from(EINDE_REDENEN))) if end else None
            rid = f"R{len(s['doelgroepregister']) + 1:03d}"
            s["doelgroepregister"].append(
                registration(rid, pid, draw(st.sampled_from(GRONDSLAGEN_DRAWN)), str(begin), str(end) if end else None, reden)
            )
        # T-3 / BA-4 / BA-5: 0–3 income relations with periods holding P-1q and/or P
        for _ in range(draw(st.integers(0, 3))):
            ikv = f"I{len(s['polis_ikv']) + 1:03d}"
            s["polis_ikv"].append(job(ikv, pid, "2015-01-01", werkgever=draw(st.sampled_from(WERKGEVERS))))
            kind_t = draw(st.sampled_from(list(TIJDVAK_TYPES)))
            anchors = draw(st.sampled_from([(Q,), (P,), (Q, P), (P - timedelta(days=45),)]))
            seen = set()
            for anchor in anchors:
                b, e = holding(kind_t, anchor, draw)
                if any(b <= x_e and x_b <= e for x_b, x_e in seen):
                    continue  # one halfjaar/jaar period holds both dates
                seen.add((b, e))
                s["polis_tijdvak"].append(period(ikv, str(b), str(e), "100.00", kind=kind_t, uren=format(draw(hours), "f")))
        # KP: 0–2 profiles
        for _ in range(draw(st.integers(0, 2))):
            begin = draw(a_day)
            end = draw(st.one_of(st.none(), a_day))
            if end is not None and end < begin:
                begin, end = end, begin
            flag = st.one_of(st.none(), st.sampled_from(["true", "false"]))
            s["klantprofielen"].append(
                profile(pid, str(begin), str(end) if end else None, draw(st.sampled_from(["true", "false"])),
                        draw(flag), draw(flag), draw(flag))
            )
    if P.year != 2019:
        s["gemeenten"] = gemeenten_rows(P.year)
    # BA-6: employers (WX never has a period → onbekend)
    qp, qq = quarter_span(quarter), quarter_span(quarter.previous)
    whole = (str(Q.replace(day=1, month=1)), str(P.replace(month=12, day=31)))  # from Q's year to P's year
    for w in WERKGEVERS[:-1]:
        spans = draw(st.sampled_from([[], [qp], [qq], [qq, qp], [whole]]))
        for b, e in spans:
            sector = draw(st.one_of(st.sampled_from([60, 61, 63, 66, 67]), st.integers(1, 69)))
            totaal = draw(st.decimals(min_value=0, max_value=1000, places=2))
            ufo = draw(st.sampled_from([Decimal(0), totaal, totaal / 2, totaal / 2 + Decimal("0.001")]))
            ufo = min(ufo, totaal)
            s["werkgever_tijdvak"].append(employer(w, b, e, sector, format(totaal, "f"), format(ufo, "f")))
    return pop


def _hand_made() -> Population:
    """One explicit example with the rarer cases, so that CI always meets them: a
    Praktijkroute instromer who works, quotumgroep, Wsw registered after 1 January, an
    employer at exactly 50 % Ufo and one at 50.001 %, a person without BRP (ONB), one in
    West Betuwe (AM99) and one in an unknown gemeente, duplicate BRP records, a move on P,
    an uitstromer by AOW who worked, two visible profiles of one person."""
    pop = Population()
    s = pop.src
    for pid in ("A", "B", "C", "D", "E", "F"):
        s["personen"].append(person(pid))
    s["brp_verblijf"] += [lives("A", AMS), lives("A", AMS), lives("C", WBET), lives("D", UNKNOWN),
                          lives("E", AMS, "2000-01-01", "2019-06-29"), lives("E", UTR, "2019-06-30"), lives("F", RDAM)]
    s["doelgroepregister"] += [
        registration("R1", "A", "verminderde_loonwaarde", "2019-05-01"),
        registration("R2", "A", "indicatie_banenafspraak", "2019-06-01"),
        registration("R3", "B", "quotumgroep", "2018-06-01"),
        registration("R4", "C", "wsw_begeleid_werk", "2019-02-01"),  # not valid in 2019 (BA-2)
        registration("R5", "C", "wiw_id", "2015-01-01", "2019-02-01", "overig"),  # valid all of 2019
        registration("R6", "D", "wajong", "2012-01-01", "2019-05-31", "aow"),
        registration("R7", "E", "wsw_detachering", "2015-01-01"),
        registration("R8", "F", "wajong", "2016-01-01"),
    ]
    s["polis_ikv"] += [job("I1", "A", werkgever="W1"), job("I2", "B", werkgever="W2"), job("I3", "D", werkgever="W1"),
                       job("I4", "E", werkgever="WX"), job("I5", "F", werkgever="W2")]
    s["polis_tijdvak"] += [
        period("I1", "2019-06-01", "2019-06-30", "1", uren="110.92"),
        period("I2", "2019-01-01", "2019-06-30", "1", kind="halfjaar", uren="665.52"),
        period("I3", "2019-03-11", "2019-04-07", "1", kind="vierweken", uren="0.000001"),
        period("I4", "2019-01-01", "2019-12-31", "1", kind="jaar", uren="12"),
        period("I5", "2019-04-01", "2019-06-30", "1", kind="kwartaal", uren="0"),
    ]
    s["werkgever_tijdvak"] += [employer("W1", "2019-01-01", "2019-12-31", 63, "1000.00", "500.00"),
                               employer("W2", "2019-04-01", "2019-06-30", 66, "1000.000", "500.001")]
    s["klantprofielen"] += [profile("F", zichtbaar="true", cv="true"), profile("F", "2019-06-01", zichtbaar="true", beroep="true"),
                            profile("C", zichtbaar="false", cv="true")]
    return pop


OTHER_QUARTERS = (Quarter(2019, 1), Quarter(2018, 4))

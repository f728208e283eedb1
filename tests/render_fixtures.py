"""Shared builders of the rendering tests (tests/render/, tests/publications/*/…_render.py):
the long tables of every publication built by hand, the RenderJob of a run, and the SVG
helpers. Imported as ``from render_fixtures import ...`` (tests/conftest.py puts tests/ on
``sys.path``).

``build_frames``: every cell of the CONTRACT.md vocabularies for NL01, three regions, AM99
and ONB, with Decimal banen, None cells and a time series from 2012Q4; the beschut werk
numbers are those of tests/data/beschut_werk_2019Q2.csv.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from regiorapportage.publications import registry
from regiorapportage.quarter import Quarter
from regiorapportage.render import RenderJob

DATA = Path(__file__).parent / "data"

Q2_2019 = Quarter(2019, 2)
META = {
    "software_version": "0.1.0",
    "run_id": "test-run",
    "generated": "2026-11-22T10:00:00",
    "nulmeting_bron": "invoer",
    "werkkamer_jaar": 2019,
}
REGIONS = [
    ("NL01", "Nederland"),
    ("AM01", "Groningen"),
    ("AM09", "Achterhoek"),  # no nulmeting: nulmeting, extra_banen, percentage None
    ("AM17", "Zaanstreek/Waterland"),  # no Werkkamer indication: indicatie, percentage None
    ("AM99", "Niet in te delen"),
    ("ONB", "Onbekend"),
]
CODES = [code for code, _ in REGIONS]
COLUMNS = ["regio_code", "regio_naam", "tabel", "rij", "kolom", "waarde"]


def _trend_cells(code: str, k: int) -> list[tuple[str, str, str, object]]:
    """Trend cells of one region; k scales the numbers per region."""
    no_nulmeting = code == "AM09"
    no_indicatie = code == "AM17"
    if code == "NL01":
        banen = {"markt": Decimal("12345.495"), "overheid": Decimal("2272.5"),
                 "onbekend": Decimal("0.4999"), "totaal": Decimal("14618.3949")}
    else:
        banen = {"markt": Decimal(f"{700 * k}.25"), "overheid": Decimal(f"{90 * k}.5"),
                 "onbekend": Decimal("1.75"), "totaal": Decimal(f"{790 * k + 2}.50")}
    nulmeting = {"markt": Decimal(f"{600 * k}.125"), "overheid": Decimal(f"{100 * k}"),
                 "onbekend": Decimal("0"), "totaal": Decimal(f"{700 * k}.125")}
    cells = [
        ("doelgroep", "totaal", "personen", 30000 + 1111 * k),
        ("doelgroep", "totaal", "werkzame_personen", 15000 + 222 * k),
    ]
    for rij in ("markt", "overheid", "onbekend", "totaal"):
        cells.append(("banen", rij, "banen", banen[rij]))
        cells.append(("banen", rij, "nulmeting", None if no_nulmeting else nulmeting[rij]))
        cells.append(
            ("banen", rij, "extra_banen", None if no_nulmeting else banen[rij] - nulmeting[rij])
        )
    extra = None if no_nulmeting else banen["totaal"] - nulmeting["totaal"]
    indicatie = None if no_indicatie else Decimal(f"{150 * k}.4")
    cells += [
        ("indicatie_werkkamer", "totaal", "extra_banen", extra),
        ("indicatie_werkkamer", "totaal", "indicatie", indicatie),
        ("indicatie_werkkamer", "totaal", "percentage_indicatie",
         None if extra is None or indicatie is None else 62 + k),
    ]
    return cells


def _factsheet_cells(code: str, k: int) -> list[tuple[str, str, str, object]]:
    cells = []
    personen = {"wsw_wiw": 100 * k, "wajong": 200 * k, "doelgroep_pw": 300 * k}
    werkzaam = {"wsw_wiw": 60 * k, "wajong": 90 * k, "doelgroep_pw": 120 * k}
    for rij in ("wsw_wiw", "wajong", "doelgroep_pw"):
        cells += [("categorie", rij, "personen", personen[rij]),
                  ("categorie", rij, "werkzaam", werkzaam[rij])]
    cells += [("categorie", "totaal", "personen", sum(personen.values())),
              ("categorie", "totaal", "werkzaam", sum(werkzaam.values()))]
    flows = {
        "werkzame_instromers": 31 * k, "niet_werkzame_instromers": 17 * k,
        "werkzame_uitstromers": 13 * k, "niet_werkzame_uitstromers": 11 * k,
        "begonnen_met_werk": 41 * k, "gestopt_met_werk": 37 * k,
        "verhuisd_in_werkzaam": 7 * k, "verhuisd_uit_werkzaam": 5 * k,
    }
    now = sum(werkzaam.values())
    # FS-3: choose the previous stock so that the balance holds.
    before = (now - flows["werkzame_instromers"] + flows["werkzame_uitstromers"]
              - flows["begonnen_met_werk"] + flows["gestopt_met_werk"]
              - flows["verhuisd_in_werkzaam"] + flows["verhuisd_uit_werkzaam"])
    order = ["werkzaam_vorige_peildatum", "werkzame_instromers", "niet_werkzame_instromers",
             "werkzame_uitstromers", "niet_werkzame_uitstromers", "begonnen_met_werk",
             "gestopt_met_werk", "verhuisd_in_werkzaam", "verhuisd_uit_werkzaam", "werkzaam"]
    values = {"werkzaam_vorige_peildatum": before, **flows, "werkzaam": now}
    cells += [("stromen", rij, "personen", values[rij]) for rij in order]
    instroom = {"wsw_wiw": (1 * k, 2 * k), "wajong": (3 * k, 4 * k),
                "doelgroep_pw": (5 * k, 6 * k), "praktijkroute": (22 * k, 5 * k)}
    for rij, (w, n) in instroom.items():
        cells += [("instroom_naar_grondslag", rij, "werkzaam", w),
                  ("instroom_naar_grondslag", rij, "niet_werkzaam", n)]
    cells += [("instroom_naar_grondslag", "totaal", "werkzaam", 31 * k),
              ("instroom_naar_grondslag", "totaal", "niet_werkzaam", 17 * k)]
    uitstroom = {"aow": (4 * k, 3 * k), "overlijden": (1 * k, 2 * k),
                 "duurzaam_geen_arbeidsvermogen": (0, 3 * k), "beschut_werk": (2 * k, 1 * k),
                 "overig": (6 * k, 2 * k)}
    for rij, (w, n) in uitstroom.items():
        cells += [("uitstroom_naar_reden", rij, "werkzaam", w),
                  ("uitstroom_naar_reden", rij, "niet_werkzaam", n)]
    cells += [("uitstroom_naar_reden", "totaal", "werkzaam", 13 * k),
              ("uitstroom_naar_reden", "totaal", "niet_werkzaam", 11 * k)]
    return cells


def _klantprofielen_cells(code: str, k: int) -> list[tuple[str, str, str, object]]:
    return [
        ("klantprofielen", "totaal", "doelgroep_zonder_werk", 8000 + 100 * k),
        ("klantprofielen", "totaal", "met_zichtbaar_profiel", 2000 + 10 * k),
        ("klantprofielen", "totaal", "percentage", 25 + k),
        ("volledigheid", "heeft_cv", "percentage", 40 + k),
        ("volledigheid", "heeft_beroep", "percentage", 70 + k),
        ("volledigheid", "heeft_werkervaring", "percentage", 55 + k),
    ]


def _reeks_cells(code: str, k: int, last: Quarter) -> list[tuple[str, str, str, object]]:
    """From the nulmeting quarter 2012Q4 up to ``last``, ending at the trend's values, with a
    year-end bump in every Q4 (FAQ 6)."""
    trend = {(t, r, c): v for t, r, c, v in _trend_cells(code, k)}
    final_banen = trend[("banen", "totaal", "banen")]
    final_werkzaam = trend[("doelgroep", "totaal", "werkzame_personen")]
    final_doelgroep = trend[("doelgroep", "totaal", "personen")]
    quarters = []
    q = Quarter(2012, 4)
    while q <= last:
        quarters.append(q)
        q = q.next
    n = len(quarters) - 1
    cells = []
    for i, q in enumerate(quarters):
        bump = Decimal("1.04") if q.number == 4 else Decimal(1)
        start = trend[("banen", "totaal", "nulmeting")] or final_banen * Decimal("0.8")
        banen = ((start + (final_banen - start) * i / n) * bump).quantize(Decimal("0.0001"))
        werkzaam = int(final_werkzaam * (0.7 + 0.3 * i / n) * (1.02 if q.number == 4 else 1))
        doelgroep = int(final_doelgroep * (0.5 + 0.5 * i / n))
        if q == last:
            banen, werkzaam, doelgroep = final_banen, final_werkzaam, final_doelgroep
        if code == "NL01" and q == last.shift(-4):
            banen, werkzaam = Decimal("14500.495"), 18500  # TR-6: the year-earlier quarter
        extra = None if code == "AM09" else banen - trend[("banen", "totaal", "nulmeting")]
        cells += [
            ("reeks", str(q), "doelgroep_personen", doelgroep),
            ("reeks", str(q), "werkzame_personen", werkzaam),
            ("reeks", str(q), "banen", banen),
            ("reeks", str(q), "extra_banen", extra),
        ]
    return cells


def _frame(builder, *args) -> pd.DataFrame:
    records = []
    for k, (code, naam) in enumerate(REGIONS, start=1):
        k = 20 if code == "NL01" else (0 if code == "ONB" else k)
        for tabel, rij, kolom, waarde in builder(code, k, *args):
            records.append((code, naam, tabel, rij, kolom, waarde))
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    # As the pipeline gives them: dtype object with int, Decimal or None.
    frame["waarde"] = pd.Series([r[5] for r in records], dtype=object, index=frame.index)
    return frame


def build_frames(quarter: Quarter = Q2_2019, with_beschut_werk: bool = True) -> dict[str, pd.DataFrame]:
    frames = {
        "banenafspraak_trend": _frame(_trend_cells),
        "banenafspraak_reeks": _frame(_reeks_cells, quarter),
        "factsheet": _frame(_factsheet_cells),
        "klantprofielen": _frame(_klantprofielen_cells),
    }
    if with_beschut_werk:
        bw = pd.read_csv(DATA / "beschut_werk_2019Q2.csv")
        bw = bw[bw.regio_code.isin(CODES)].copy()
        bw["waarde"] = bw["waarde"].astype(object)
        frames["beschut_werk"] = bw
    return frames


def render_job(frames: dict[str, pd.DataFrame], quarter: Quarter, voorlopig: bool = False,
               meta: dict | None = None) -> RenderJob:
    """The RenderJob of a run with these tables and the registry's publications
    (``meta`` defaults to :data:`META`)."""
    return RenderJob(
        frames, quarter, voorlopig, META if meta is None else meta, list(registry.PUBLICATIONS),
        registry.SITE_TITEL, registry.site_intro(), registry.KEYWORDS,
    )


def svgs(page: str) -> list[str]:
    found, start = [], 0
    while (start := page.find("<svg", start)) != -1:
        end = page.index("</svg>", start) + len("</svg>")
        found.append(page[start:end])
        start = end
    return found


def svg_texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]

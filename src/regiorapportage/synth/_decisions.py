"""The register's decisions behind the synthetic doelgroepregister (SPEC DR-1 … DR-4).

``register/besluiten.csv`` (the format of ``register.decisions``) holds what the register
was told, in an order in which applying them one by one is valid: first every person (BSN,
birth date), then by date the registrations, voidings, endings and person events. Recorded
with ``regiorapportage register import`` and extracted for the generator's extract date
(DR-7, ``extract.write``), they give exactly the generator's ``doelgroepregister`` (without
the injected faulty rows) and, for its persons, the generator's ``personen`` rows — except
the deaths the register was not told of (below).

- ``registratie`` for every registration, with the deciding body (``UWV`` for Wajong,
  indicatie banenafspraak, Praktijkroute and quotumgroep; the gemeente where the person lived
  for Wsw and Wiw/ID, ``gemeente`` when no residence is known);
- an ending of the file is ``beeindiging`` (``overig``), ``uitschrijving`` (2020, with a request
  date from 2020-01-01, DR-4), or a person event that ends every open registration of the
  person (DR-3): ``aow`` (the AOW day, a recorded history), ``overlijden``,
  ``duurzaam_geen_arbeidsvermogen``, ``beschut_werk`` (the gemeente of the first positive
  advice);
- ``overlijden`` also for the register's persons who died after their registrations had
  ended, so the extract knows the date of death;
- a few registrations voided by a bezwaar decided before the extract date (``DGV…``): they
  are in no extract after the decision, so in no file of the generator.

The register was not told of a death when a registration of the person stays open after it,
begins after it or ends after it (the BA-3 cases "still valid after death"): no
``overlijden`` for those persons, so the extract has no date of death for them. Likewise
there is no ``aow`` record for a registration still open after the AOW day, and no
``beschut_werk`` decision for one still open after a positive advice.
"""

from __future__ import annotations

import pathlib
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from regiorapportage.register.decisions import COLUMNS
from regiorapportage.synth import _arrow as A
from regiorapportage.synth import _days as D
from regiorapportage.synth._register import (
    GRONDSLAGEN, IND, K_NONE, QUOT, R_AOW, R_BW, R_DGA, R_OV, R_UIT, UITSCHRIJVING_FROM, VLW, WAJONG,
)

FOLDER = "register"
FILE = "besluiten.csv"
VOIDED_PER_SCALE = 20  # registrations voided by a bezwaar, at scale 1 (at least VOIDED_MIN)
VOIDED_MIN = 5
UWV_GRONDSLAGEN = (WAJONG, IND, VLW, QUOT)
# Order of the decisions on one day: a registration first, then a voiding, the endings of one
# registration, the person events (an AOW, duurzaam geen arbeidsvermogen or beschut werk
# ending before a death on the same day).
RANK = {"registratie": 0, "bezwaar": 1, "beeindiging": 2, "uitschrijving": 2, "aow": 3,
        "duurzaam_geen_arbeidsvermogen": 3, "beschut_werk": 3, "overlijden": 4}

README = """Besluiten van het doelgroepregister bij deze synthetische invoer
================================================================

besluiten.csv bevat de besluiten die het doelgroepregister (SPEC DR-1 … DR-4) kreeg voor de
personen van deze synthetische invoer, in het formaat van `regiorapportage register import`
(kolommen: soort, bsn, geboortedatum, registratie_id, grondslag, datum, verzoekdatum, orgaan,
besluit_id). Eerst de personen, daarna alles op datum: in deze volgorde toegepast is elk
besluit geldig.

De BSN's zijn synthetisch (elfproef, uit een reeks die niet aan echte personen is uitgegeven;
zie docs/synthetic-data.md). persoon_id in de andere bestanden is het pseudoniem van het BSN
(HMAC-SHA256) met de demosleutel regiorapportage.synth.DEMO_PSEUDONIEMSLEUTEL — een sleutel
die in de broncode staat en dus NOOIT voor echte gegevens mag worden gebruikt.

Rondgang: importeer deze besluiten in een leeg register en maak een extract per {extract}
met de demosleutel; doelgroepregister.csv van het extract is dan gelijk aan dat van deze map
(zonder de opzettelijk foute rijen), en de rapportages zijn gelijk.

`regiorapportage run` leest deze map niet (alleen de bronbestanden ernaast).
"""


SOORTEN = ("persoon", *RANK)


class _Columns:
    """Decisions as integer columns (codes into label arrays; -1 = empty), sorted at the end."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, soort: str, n: int, **cols) -> None:
        if n:
            self.parts.append({"soort": np.full(n, SOORTEN.index(soort), dtype=np.int64),
                               **{k: np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)) for k, v in cols.items()}})

    def column(self, name: str, empty: int = -1) -> np.ndarray:
        return np.concatenate([p.get(name, np.full(len(p["soort"]), empty, dtype=np.int64)) for p in self.parts])


def _take(labels: pa.Array, index: np.ndarray) -> pa.Array:
    """``labels[index]``; a negative index is empty (null)."""
    valid = index >= 0
    taken = labels.take(A.numeric(np.where(valid, index, 0).astype(np.int64), pa.int64()))
    if valid.all():
        return taken
    return pa.Array.from_buffers(pa.string(), len(index), [pa.py_buffer(np.packbits(valid, bitorder="little"))]
                                 + taken.buffers()[1:], null_count=int((~valid).sum()))


def build(ba, scale: float, seed: int) -> pa.Table:
    """The decisions of the register of ``ba`` (``_ba.BAData``), in a valid order: a table
    with the columns of ``register.decisions.COLUMNS`` (written as that module writes them)."""
    reg, pop, res, geo = ba.reg, ba.pop, ba.res, ba.geo
    rng = np.random.default_rng([seed, 0xBA, 5])
    n_old = reg.n_old
    n_all = n_old + reg.n_new
    birth = np.concatenate([pop.geboortedatum, reg.geboortedatum])
    died = np.concatenate([pop.overlijdensdatum, np.where(reg.death <= D.BA_EXTRACT, reg.death, D.NULL)])
    death = np.where(died == D.NULL, D.FAR, died)
    bsn_number = ba.bsn  # by BA person index (written as nine digits)
    person, g, begin, end, reason = reg.reg_person, reg.reg_g, reg.reg_begin, reg.reg_end, reg.reg_reason
    n_reg = len(person)
    rid = np.empty(n_reg, dtype=np.int64)  # registration → index into the registratie_id labels
    rid[ba.reg_order] = np.arange(n_reg)

    # deciding body of each registration: UWV, or the gemeente of residence (2019 code)
    orgaan_labels = ["UWV", "gemeente", *geo.code]
    orgaan = np.zeros(n_reg, dtype=np.int64)
    gem = np.flatnonzero(~np.isin(g, UWV_GRONDSLAGEN))
    j = person[gem] - n_old
    assert (j >= 0).all()  # Wsw and Wiw/ID only for the register's own persons
    gi = np.where(begin[gem] < res.move[j], res.first_g[j], res.last_g[j])
    gi = np.where(gi < 0, res.last_g[j], gi)
    orgaan[gem] = np.where(res.kind[j] == K_NONE, 1, 2 + gi)

    cols = _Columns()
    in_register = A.unique_sorted(person)
    cols.add("registratie", n_reg, bsn=person, registratie_id=rid, grondslag=g, datum=begin, orgaan=orgaan)

    # endings of one registration
    s = np.flatnonzero(reason == R_OV)
    cols.add("beeindiging", len(s), registratie_id=rid[s], datum=end[s], orgaan=orgaan[s])
    s = np.flatnonzero(reason == R_UIT)
    assert (end[s] >= UITSCHRIJVING_FROM).all()
    asked = np.maximum(end[s] - rng.integers(7, 90, len(s)), UITSCHRIJVING_FROM)
    cols.add("uitschrijving", len(s), registratie_id=rid[s], datum=end[s], verzoekdatum=asked, orgaan=orgaan[s])

    # person events (DR-3): one per person and day
    first_adv = _first_positive_gemeente(pop)
    code_index = {c: i for i, c in enumerate(orgaan_labels)}
    for r, soort in ((R_AOW, "aow"), (R_DGA, "duurzaam_geen_arbeidsvermogen"), (R_BW, "beschut_werk")):
        s = np.flatnonzero(reason == r)
        event = A.unique_sorted(person[s] * 100_000_000 + (end[s] - D.NULL))
        who, day = event // 100_000_000, event % 100_000_000 + D.NULL
        if soort == "aow":  # the service's own AOW day (GLOSSARY), recorded as history
            assert (day == D.aow_date(birth[who])).all()
            cols.add(soort, len(who), bsn=who, datum=day)
        elif soort == "beschut_werk":  # the gemeente of the first positive advice
            codes = first_adv[who].tolist()
            for c in codes:  # an advice may carry a gemeente's code from before a herindeling
                if c not in code_index:
                    code_index[c] = len(orgaan_labels)
                    orgaan_labels.append(c)
            cols.add(soort, len(who), bsn=who, datum=day, orgaan=[code_index[c] for c in codes])
        else:
            cols.add(soort, len(who), bsn=who, datum=day, orgaan=0)

    # deaths the register was told of: none of the person's registrations outlives the death
    outlives = np.zeros(n_all, dtype=bool)
    late = (begin > death[person]) | (end == D.NULL) | (end > death[person])
    outlives[person[late & (died[person] != D.NULL)]] = True
    told = in_register[(died[in_register] != D.NULL) & ~outlives[in_register]]
    cols.add("overlijden", len(told), bsn=told, datum=died[told])

    # registrations voided by a bezwaar (in no extract after the decision, so in no file)
    adult = np.maximum(D.day("2015-01-01"), D.add_months(birth, 18 * 12))
    last = D.day("2019-12-31")
    host = in_register[(in_register >= n_old) & (died[in_register] == D.NULL)
                       & (D.aow_date(birth[in_register]) > D.BA_EXTRACT) & (adult[in_register] < last)]
    k = min(len(host), max(VOIDED_MIN, int(round(VOIDED_PER_SCALE * scale))))
    host = np.sort(rng.choice(host, size=k, replace=False))
    lo = adult[host]
    v_begin = lo + (rng.random(k) * (last - lo)).astype(np.int64)
    v_void = np.minimum(v_begin + rng.integers(42, 300, k), D.BA_EXTRACT - 1)
    v_g = np.where(rng.random(k) < 0.8, IND, WAJONG)
    v_rid = n_reg + np.arange(k)
    cols.add("registratie", k, bsn=host, registratie_id=v_rid, grondslag=v_g, datum=v_begin, orgaan=0)
    cols.add("bezwaar", k, registratie_id=v_rid, datum=v_void, orgaan=0)

    # order: every person first (by BSN), then by date, kind, and registratie_id or BSN (both
    # fixed-width text, so their numbers sort as the text does)
    soort = cols.column("soort")
    datum = cols.column("datum")
    rank = np.array([0] + list(RANK.values()))[soort]
    rids, who = cols.column("registratie_id"), cols.column("bsn")
    order = np.lexsort((np.where(rids >= 0, rids, bsn_number[np.maximum(who, 0)]), rank, datum))
    persons = in_register[np.argsort(bsn_number[in_register], kind="stable")]
    n_p, n_e = len(persons), len(order)
    none = np.full(n_p, -1, dtype=np.int64)

    def text(labels, index: np.ndarray) -> pa.Array:
        return _take(labels if isinstance(labels, pa.Array) else A.strings(list(labels)), index)

    rid_labels = pa.concat_arrays([A.fixed_ids("DGR", np.arange(1, n_reg + 1), 8),
                                   A.fixed_ids("DGV", np.arange(1, k + 1), 8)])
    orgaan = cols.column("orgaan")[order]
    besluit = np.full(n_e, -1, dtype=np.int64)
    besluit[orgaan >= 0] = np.arange(int((orgaan >= 0).sum()))
    return pa.table({
        "soort": text(SOORTEN, np.concatenate([np.zeros(n_p, dtype=np.int64), soort[order]])),
        "bsn": text(A.fixed_ids("", bsn_number, 9), np.concatenate([persons, who[order]])),
        "geboortedatum": A.dates(np.concatenate([birth[persons], np.full(n_e, D.NULL)])),
        "registratie_id": text(rid_labels, np.concatenate([none, rids[order]])),
        "grondslag": text(GRONDSLAGEN, np.concatenate([none, cols.column("grondslag")[order]])),
        "datum": A.dates(np.concatenate([np.full(n_p, D.NULL), datum[order]])),
        "verzoekdatum": A.dates(np.concatenate([np.full(n_p, D.NULL), cols.column("verzoekdatum", D.NULL)[order]])),
        "orgaan": text(orgaan_labels, np.concatenate([none, orgaan])),
        "besluit_id": text(A.fixed_ids("BSL", np.arange(1, max(1, int(besluit.max()) + 2)), 9),
                           np.concatenate([none, besluit])),
    })


def _first_positive_gemeente(pop) -> np.ndarray:
    """Per existing person: the gemeente code of their first positive advice (``gemeente``
    when unknown or none)."""
    out = np.full(pop.n, "gemeente", dtype=object)
    pos = np.flatnonzero(pop.adv_pos)
    order = pos[np.argsort(-pop.adv_date[pos], kind="stable")]  # earliest written last (as _register)
    out[pop.adv_person[order]] = pop.adv_gemeente[order]
    out[np.equal(out, None)] = "gemeente"
    return out


def write(output: pathlib.Path, decisions: pa.Table, extract_day: date) -> pathlib.Path:
    """``output/register/besluiten.csv`` (as ``register.decisions.write_csv`` writes it: a
    header, ``\\n`` line ends, ISO dates, empty for none; no value needs quotes) and a README
    beside it; returns the CSV's path."""
    assert tuple(decisions.column_names) == COLUMNS
    folder = output / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    with open(path, "wb") as fh:
        fh.write((",".join(COLUMNS) + "\n").encode("utf-8"))
        pacsv.write_csv(decisions, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    (folder / "README.txt").write_text(README.format(extract=extract_day.isoformat()), encoding="utf-8")
    return path


def remove(output: pathlib.Path) -> None:
    """Remove the decisions of an earlier generation (and the folder when nothing else is in it)."""
    folder = output / FOLDER
    for name in (FILE, "README.txt"):
        if (folder / name).is_file():
            (folder / name).unlink()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()

"""``regiorapportage register …``: the administrator's walk-through of the README on an
embedded database — init, import, bijwerken (DR-3), credential new/list/revoke (DR-6),
extract (DR-7), verify-audit — with readable refusals and nothing half-recorded."""

from __future__ import annotations

import csv
import os
import stat

from sqlalchemy import func, select, update
from typer.testing import CliRunner

from regiorapportage.cli import app
from regiorapportage.register import config as cfg
from regiorapportage.register import db
from regiorapportage.register.pseudonym import persoon_id
from regiorapportage.register.schema import audit, persoon

runner = CliRunner()

DECISIONS = """soort,bsn,geboortedatum,registratie_id,grondslag,datum,verzoekdatum,orgaan,besluit_id
persoon,111222333,1953-01-01,,,,,,
registratie,111222333,,R1,wajong,2010-01-01,,UWV,B1
persoon,123456782,1990-01-01,,,,,,
registratie,123456782,,R2,indicatie_banenafspraak,2016-01-01,,UWV,B2
beeindiging,,,R2,,2018-01-01,,UWV,B3
"""


def invoke(config, *args):
    r = runner.invoke(app, ["register", *[str(a) for a in args], "--config", str(config)])
    return r, " ".join(r.output.split())


def test_walk_through_on_an_embedded_database(tmp_path):
    config = tmp_path / "reg" / "register.toml"
    r, text = invoke(config, "init")
    assert r.exit_code == 0, r.output
    admin_token = r.output.strip().splitlines()[-1]
    assert "." in admin_token and "Sleutel van de beheerder" in text
    for f in (config, tmp_path / "reg" / "register.db"):  # secrets and BSNs: owner only
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
    settings = cfg.load(config)
    assert admin_token not in config.read_text()  # only its hash is kept, in the database

    r, text = invoke(config, "init")
    assert r.exit_code == 2 and "bestaat al" in text

    (tmp_path / "b.csv").write_text(DECISIONS)
    r, text = invoke(config, "import", tmp_path / "b.csv")
    assert r.exit_code == 0 and "5 besluiten vastgelegd: 2 personen, 2 registraties, 3 gebeurtenissen" in text

    # a refused decision: nothing of the file is kept, the message names it
    (tmp_path / "bad.csv").write_text(DECISIONS.splitlines()[0] + "\npersoon,100000010,1980-01-01,,,,,,\n"
                                      "uitschrijving,,,R1,,2020-01-10,2019-12-01,,\n")
    r, text = invoke(config, "import", tmp_path / "bad.csv")
    assert r.exit_code == 2 and "besluit 2" in text and "1 januari 2020" in text
    eng = db.engine(settings.database)
    with eng.connect() as conn:
        assert conn.execute(select(func.count()).select_from(persoon)).scalar_one() == 2

    r, text = invoke(config, "bijwerken", "--tot", "2020-07-15")  # 111222333 reaches AOW on 2019-05-01
    assert r.exit_code == 0 and "1 registraties beëindigd bij 1 personen" in text

    r, text = invoke(config, "credential", "new", "--naam", "Bakkerij Jansen", "--kenmerk", "123456789L01")
    assert r.exit_code == 0, r.output
    key_id = r.output.strip().splitlines()[-1].split(".")[0]
    r, text = invoke(config, "credential", "list")
    assert key_id in text and "Bakkerij Jansen" in text and "actief" in text
    r, text = invoke(config, "credential", "revoke", key_id)
    assert r.exit_code == 0
    r, text = invoke(config, "credential", "list")
    assert "ingetrokken" in text
    r, text = invoke(config, "credential", "revoke", "onbekend")
    assert r.exit_code == 2

    r, text = invoke(config, "extract", "--datum", "2020-07-15", "--output", tmp_path / "ex")
    assert r.exit_code == 0 and "2 registraties, 2 personen" in text
    with open(tmp_path / "ex" / "doelgroepregister.csv", encoding="utf-8") as f:
        rows = {row["registratie_id"]: row for row in csv.DictReader(f)}
    assert rows["R1"]["persoon_id"] == persoon_id("111222333", settings.pseudoniemsleutel)
    assert (rows["R1"]["einddatum"], rows["R1"]["einde_reden"]) == ("2019-05-01", "aow")
    assert "111222333" not in (tmp_path / "ex" / "doelgroepregister.csv").read_text()

    r, text = invoke(config, "verify-audit")
    assert r.exit_code == 0 and "de keten klopt" in text
    anchor = text.split("Anker: ")[1].split()[0]
    r, text = invoke(config, "verify-audit", "--anker", anchor)
    assert r.exit_code == 0 and "bevat het anker" in text
    r, text = invoke(config, "verify-audit", "--anker", "99:" + "0" * 64)  # a log cut short is seen
    assert r.exit_code == 5 and "korter dan het eerder vastgelegde anker" in text
    with eng.begin() as conn:  # every administrative step is in the log
        acties = [a for (a,) in conn.execute(select(audit.c.actie).order_by(audit.c.volgnummer))]
        assert acties[:2] == ["init", "import"] and "bijwerken" in acties and "extract" in acties
        conn.execute(update(audit).where(audit.c.actie == "bijwerken").values(detail="niets gedaan"))
    r, text = invoke(config, "verify-audit")
    assert r.exit_code == 5 and "GEBROKEN" in text
    eng.dispose()


def test_missing_configuration_is_a_clear_error(tmp_path):
    r, text = invoke(tmp_path / "nergens.toml", "verify-audit")
    assert r.exit_code == 2 and "register init" in text

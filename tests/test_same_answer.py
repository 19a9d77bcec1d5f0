"""The same findings give the same answer from the command line, the REST API and the web page.

Runs every external development case (`data/vignettes/external/*.jsonl`, their `findings` maps)
through all three interfaces and compares the triage level and the ranking of conditions. Cases whose
findings have not been mapped yet (no `findings` key) are left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.cli.app import app as cli_app

EXTERNAL = sorted((Path(__file__).resolve().parents[1] / "data" / "vignettes" / "external").glob("*.jsonl"))
CONDITION = re.compile(r'data-condition="([^"]+)"')
LEVEL = re.compile(r'data-level="([^"]+)"')


def cases(model: CompiledModel) -> list[dict[str, Any]]:
    rows = [json.loads(line) for path in EXTERNAL for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        {"id": row["id"], "age": row.get("age"), "sex": row.get("sex"),
         "findings": {f: v for f, v in row["findings"].items() if f in model.finding_index and v is not None}}
        for row in rows
        if "findings" in row
    ]


def test_cli_api_and_web_agree_on_every_external_case(client: Any, model: CompiledModel, tmp_path: Path) -> None:
    runner = CliRunner()
    checked = 0
    for case in cases(model):
        findings_file = tmp_path / "case.json"
        findings_file.write_text(json.dumps(case))
        cli = runner.invoke(cli_app, ["check", "--findings", str(findings_file), "--json"])
        assert cli.exit_code == 0, cli.output
        from_cli = json.loads(cli.stdout)

        from_api = client.post("/v1/assess", json={k: v for k, v in case.items() if k != "id"}).json()

        answers = {f: ("yes" if v else "no") for f, v in case["findings"].items()}
        state = {"age": case["age"], "sex": case["sex"], "answers": answers}
        page = client.post("/check/result", data={"state": json.dumps(state)}).text
        level = LEVEL.search(page)
        assert level, case["id"]

        cli_ranking = [c["id"] for c in from_cli["conditions"]]
        assert from_api["triage"]["level"] == from_cli["triage"]["level"] == level.group(1), case["id"]
        assert [c["id"] for c in from_api["conditions"]] == cli_ranking, case["id"]
        assert CONDITION.findall(page) == cli_ranking[: len(CONDITION.findall(page))], case["id"]
        checked += 1
    assert checked >= 150

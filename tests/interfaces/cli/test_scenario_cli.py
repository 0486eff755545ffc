"""``pilotage scenario compare``: proposals on the command line or in a file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from pilotage.errors import UsageError
from pilotage.interfaces.cli.commands_scenario import parse_proposal
from pilotage.interfaces.cli.main import main


def _load(relative: str) -> ModuleType:
    path = Path(__file__).parents[2] / relative
    spec = importlib.util.spec_from_file_location(path.stem + "_for_cli", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


data = _load("services/test_scenarios.py")
posterior = _load("core/mmm/test_optimizer.py").posterior


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenario-cli") / "ws"
    assert main(["init", str(root)]) == 0
    for table in ("campaigns", "spend", "touchpoints", "orders"):
        text = {"touchpoints": data.TOUCHES}.get(table) or getattr(data, table.upper())
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0
    return root


def test_compare_two_programs_as_json(workspace: Path, capsys) -> None:
    args = ["scenario", "compare", "-w", str(workspace), "--credit", "last", "-f", "json"]
    args += ["-p", "Regional event:events:90000", "-p", "Six webinars:webinars:30000:6"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommendation"] == "Six webinars"
    event, webinars = out["proposals"]
    assert (event["program"], event["cost"], event["units"]) == ("events", 90000, 1)
    assert webinars["units"] == 6
    assert event["better_alternative"] == "Six webinars"
    assert {"roi", "payback_months", "probability_roi_positive", "risk"} <= set(event)


def test_the_table_ends_with_the_readout(workspace: Path, capsys) -> None:
    args = ["scenario", "compare", "-w", str(workspace), "--lang", "fr"]
    args += ["-p", "Salon: Lyon 2027:events:90000", "-p", "Webinaires:webinars:30000"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["rank", "name", "source"]
    assert "Recommandé : Webinaires." in out
    assert "- Non à Salon: Lyon 2027 (90 k€)" in out


def test_proposals_from_csv_and_json_files(workspace: Path, tmp_path: Path, capsys) -> None:
    csv_file = tmp_path / "proposals.csv"
    csv_file.write_text(
        "name,program,cost,units,low,base,high\n"
        "Webinars,webinars,30000,6,,,\n"
        "Partner case,,10000,,5000,15000,30000\n",
        encoding="utf-8",
    )
    args = ["scenario", "compare", "-w", str(workspace), "--file", str(csv_file), "-f", "json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["source"] for p in out["proposals"]] == ["history", "stated"]
    json_file = tmp_path / "proposals.json"
    json_file.write_text(
        json.dumps({"proposals": [{"name": "W", "program": "webinars", "cost": 1000}]}),
        encoding="utf-8",
    )
    args = ["scenario", "compare", "-w", str(workspace), "--file", str(json_file), "-f", "json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["proposals"][0]["name"] == "W"


def test_a_channel_proposal_uses_the_workspace_model(
    workspace: Path, tmp_path: Path, capsys
) -> None:
    args = ["scenario", "compare", "-w", str(workspace), "-f", "json"]
    args += ["-p", "More search:channel=paid_search:26000", "-p", "Webinars:webinars:10000"]
    assert main(args) == 2
    assert "no mix model is saved" in capsys.readouterr().err
    model = tmp_path / "model.json"
    model.write_text(posterior().to_json(), encoding="utf-8")
    assert main([*args, "--model", str(model)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["proposals"][0]["source"] == "mix_model"


@pytest.mark.parametrize(
    ("text", "name", "program", "channel", "cost", "units"),
    [
        ("Regional event:events:80000", "Regional event", "events", None, 80000, 1),
        ("Six webinars:webinars:30000:6", "Six webinars", "webinars", None, 30000, 6),
        ("Salon: Lyon:events:80000", "Salon: Lyon", "events", None, 80000, 1),
        ("Search:channel=paid_search:5e4", "Search", None, "paid_search", 50000, 1),
    ],
)
def test_proposal_syntax(text, name, program, channel, cost, units) -> None:
    p = parse_proposal(text)
    assert (p.name, p.program, p.channel, p.cost, p.units) == (
        name,
        program,
        channel,
        cost,
        units,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just a name", "bad proposal 'just a name'"),
        ("Event:events:abc", "could not convert"),
        ("Event:events:-5", "cost: Input should be greater than 0"),
        (":events:5", "name"),
    ],
)
def test_bad_proposal_syntax(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        parse_proposal(text)
    assert "NAME:TYPE:COST" in (caught.value.fix or "")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.csv", "name,program,price\nA,events,1\n", "line 1: bad header"),
        ("bad.csv", "name,program,cost\nA,events,zero\n", "line 2, column 'cost'"),
        ("bad.csv", "name,program,cost\n", "no proposal in the file"),
        ("bad.json", "[{]", "not JSON"),
        ("bad.json", '{"proposal": []}', "expected a list of proposals"),
        ("bad.json", '[{"name": "A", "cost": 5}]', "column 'proposals[0]."),
    ],
)
def test_bad_proposal_files_name_the_line_and_column(
    workspace: Path, tmp_path: Path, capsys, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["scenario", "compare", "-w", str(workspace), "--file", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_unknown_type_and_no_proposal(workspace: Path, capsys) -> None:
    args = ["scenario", "compare", "-w", str(workspace), "-p", "Fair:eventz:1000"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "unknown program type(s) ['eventz']" in err and "low/base/high" in err
    assert main(["scenario", "compare", "-w", str(workspace)]) == 2
    assert "no proposal given" in capsys.readouterr().err

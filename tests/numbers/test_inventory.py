"""The inventory: generated numbers are real and repeatable; imports are all or nothing."""

from __future__ import annotations

import json

from longcode.numbers.inventory import generate, row_for
from longcode.phone import parse_nanp
from tests.factories import basic
from tests.support.cli import run_cli


def test_generation_is_deterministic_valid_and_placed():
    first = list(generate(2000, seed=7))
    assert first == list(generate(2000, seed=7))
    assert first != list(generate(2000, seed=8))
    assert len({row.value for row in first}) == 2000
    for row in first:
        assert parse_nanp(row.value, field="number") == row.value
        assert row.value[4:7] != "555"
        if row.number_type == "standard":
            assert row.rate_center and row.state and row.iso_country in ("US", "CA")
        else:
            assert row.value[1:4] in {"800", "833", "844", "855", "866", "877", "888"}
    assert 100 < sum(row.number_type == "tollfree" for row in first) < 400


def test_places_come_from_the_exchange_or_its_area_code():
    assert (row_for("12062150001").rate_center, row_for("12062150001").state) == ("seattle", "wa")
    assert row_for("14162030009").iso_country == "CA"
    assert row_for("12065550100").state == "wa"  # 555 is not an exchange; its area code is


async def test_cli_generate_import_and_stats(client, account, settings, tmp_path):
    generated = await run_cli(settings, "inventory", "generate", "--count", "300", "--seed", "3")
    assert generated.exit_code == 0, generated.output
    assert "added 300 numbers" in generated.output
    again = await run_cli(settings, "inventory", "generate", "--count", "300", "--seed", "3")
    assert "added 0 numbers (300 already known)" in again.output

    good = tmp_path / "good.csv"
    good.write_text(
        "number,number_type,rate_center,state,setup_cost,monthly_cost\n"
        "+1 206 217 0001,,,,2.50,\n"
        "18332001234,tollfree,,,,3\n"
        "14162039999,standard,scarboro,ON,,\n"
    )
    imported = await run_cli(settings, "inventory", "import", str(good))
    assert imported.exit_code == 0, imported.output
    found = await client.get("/v2/numbers/available?starts_with=1206217", headers=basic(account))
    attributes = [item["attributes"] for item in found.json()["data"] if item["id"] == "12062170001"][0]
    assert attributes["setup_cost"] == 2.5 and attributes["monthly_cost"] == 1.25
    scarboro = await client.get("/v2/numbers/available?state=ON&rate_center=Scarboro", headers=basic(account))
    assert [item["id"] for item in scarboro.json()["data"]] == ["14162039999"]

    stats = await run_cli(settings, "inventory", "stats", "--json")
    counts = json.loads(stats.output)
    assert counts["available"] == 303 and counts["held"] == 1


async def test_a_bad_row_names_its_line_and_nothing_is_imported(client, account, settings, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("number,setup_cost\n12062170001,1\n12062170002,cheap\n12062170003,1\n")
    result = await run_cli(settings, "inventory", "import", str(bad))
    assert result.exit_code == 1
    assert (
        "line 3" in result.output
        and "setup_cost" in result.output
        and "nothing was imported" in result.output
    )
    found = await client.get("/v2/numbers/available?starts_with=1206217", headers=basic(account))
    assert found.json()["data"] == []


async def test_import_refuses_duplicates_and_unknown_places(settings, tmp_path):
    cases = {
        "number\n12062170001\n12062170001\n": "also on line 2",
        "number\n18762345678\n": "give its rate_center and state",  # no geography for 876
        "number,colour\n12062170001,red\n": "unknown columns",
        "number,number_type\n12062170001,tollfree\n": "not a toll-free number",
        "number\n+447700900123\n": "line 2",
    }
    for index, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"case{index}.csv"
        path.write_text(text)
        result = await run_cli(settings, "inventory", "import", str(path))
        assert result.exit_code == 1 and message in result.output, (text, result.output)

"""Recorded explanations: what each line reads is noted while the evaluator evaluates it."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal

from typer.testing import CliRunner

from hukoucalc.batch.field_uses import field_uses
from hukoucalc.engine.compile import compile_scheme
from hukoucalc.engine.reads import fields_read, trace_scheme
from hukoucalc.scheme.load import LoadedScheme, load_scheme, scheme_from_data
from hukoucalc.scorecard import score_record
from tests.conftest import ROOT
from tests.invoke import run

TRACED = """
[scheme]
id = "traced-2024"
city = "测试市"
title = "Reads of every kind"
year = 2024

[sources.doc]
title = "Test document"

[dates]
as_of = 2023-12-31

[fields.social_insurance]
type = "periods"
label = "社保"

[fields.rental]
type = "periods"
label = "租房"

[fields.tax]
type = "decimal"
label = "纳税"
places = 2

[fields.education]
type = "enum"
label = "学历"
values = { college = "大专", bachelor = "本科" }

[fields.housing]
type = "enum"
label = "住房"
values = { own = "自有", rental = "租赁" }

[fields.permit]
type = "bool"
label = "居住证"

[measures.si_months]
kind = "months"
of = ["social_insurance"]

[measures.rented]
kind = "months"
of = ["rental"]
overlap = ["social_insurance"]

[[indicators]]
id = "insurance"
label = "社保"
source = "doc#1"
measure = "si_months"
rule = { kind = "per_unit", points = 1, per = 12, unit = "month", whole = true }
cap = { field = "education", values = { college = 5, bachelor = 8 }, default = 3 }

[[indicators]]
id = "tax"
label = "纳税"
source = "doc#2"
group = "extra"
rule = { kind = "flag", points = 20, when = { field = "tax", at_least = 100000 } }

[[indicators]]
id = "home"
label = "住房"
source = "doc#3"
when = { field = "permit", is = true }

[[indicators.parts]]
id = "rented"
label = "租房"
measure = "rented"
rule = { kind = "per_unit", points = 1, per = 12, unit = "month", whole = true }
when = { field = "housing", in = ["rental"] }

[[indicators.parts]]
id = "insured"
label = "社保"
measure = "si_months"
rule = { kind = "per_unit", points = 1, per = 24, unit = "month", whole = true }

[[groups]]
id = "extra"
label = "加分"
source = "doc#6"
combine = "sum"
cap = { field = "housing", values = { own = 10 }, default = 20 }

[[gates]]
id = "permit"
label = "居住证"
source = "doc#4"
require = { field = "permit", is = true }
reason = "no permit"

[selection]
mode = "threshold_then_keys"
threshold = 10
quota = 100
keys = [{ measure = "rented", order = "desc", label = "租房月数" }]
source = "doc#5"
"""


def _traced() -> LoadedScheme:
    return scheme_from_data(tomllib.loads(TRACED, parse_float=Decimal), origin="traced.toml")


def test_each_line_reads_its_when_caps_and_reused_measures() -> None:
    trace = trace_scheme(compile_scheme(_traced().scheme))
    # a by-field cap is read by the line it caps
    assert trace.of("indicator", "insurance") == ("social_insurance", "education")
    # a flag's condition
    assert trace.of("part", "tax", "tax") == ("tax",)
    # a part's when; a measure evaluated once is read by every line using it
    assert trace.of("part", "home", "rented") == ("rental", "social_insurance", "housing")
    assert trace.of("part", "home", "insured") == ("social_insurance",)
    assert trace.own[("indicator", "home")] == ("permit",)  # the line's when, outside its parts
    assert trace.of("gate", "permit") == ("permit",)
    assert trace.of("group", "extra") == ("housing",)  # a group's own by-field cap
    assert trace.of("key", "rented") == ("rental", "social_insurance")  # memoised, still read
    assert fields_read(compile_scheme(_traced().scheme)) == {
        "social_insurance",
        "rental",
        "tax",
        "education",
        "housing",
        "permit",
    }


def test_a_part_shows_what_it_read_and_what_decides_its_line() -> None:
    record = {"social_insurance": ((2020 * 12, 2023 * 12 + 11),), "permit": True, "tax": None}
    card = score_record(_traced(), record, applicant="x")
    inputs = {(i.id, p.part): list(p.inputs) for i in card.indicators for p in i.parts}
    assert inputs == {
        ("insurance", "insurance"): ["social_insurance", "education"],
        ("tax", "tax"): ["tax"],
        ("home", "rented"): ["rental", "social_insurance", "housing", "permit"],
        ("home", "insured"): ["social_insurance", "permit"],
    }


def test_guangzhou_tax_line_names_the_tax_it_read(runner: CliRunner) -> None:
    result = run(runner, "score", ROOT / "examples/applicant-guangzhou-2015.json", "--json")
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    tax = next(i for i in card["indicators"] if i["id"] == "tax")
    assert tax["points"] == "20"
    assert [p["inputs"] for p in tax["parts"]] == [{"iit_3y": "100000"}]


def test_beijing_floor_by_education_is_an_input(runner: CliRunner) -> None:
    result = run(runner, "score", ROOT / "examples/applicant-beijing-2020.json", "--json")
    card = json.loads(result.stdout)
    line = next(i for i in card["indicators"] if i["id"] == "study_deduction")
    assert "education" in line["parts"][0]["inputs"]


def test_a_field_only_a_bonus_condition_reads_is_an_extra() -> None:
    """shanghai-2015 reads base_08x only in the 'when' of a bonus flag: the old guess missed it."""
    uses = field_uses([load_scheme("shanghai-2015").scheme])
    assert "base_08x" in uses.extras
    assert "social_insurance" not in uses.extras

"""The verifier: labelled-set accuracy, offsets into the user's text, policies, API, CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from llm_extract import verify, verify_and_apply
from llm_extract.core.records import ArticleExtraction
from llm_extract.core.settings import Settings
from llm_extract.evaluation.verifier import load_items, score
from llm_extract.extraction.extractor import Extractor
from llm_extract.extraction.verify import verify_record
from llm_extract.interfaces.cli.main import main
from llm_extract.roles.checks import check_count
from llm_extract.text.grounding import Check, Document, check_date, check_name
from tests.conftest import ROOT, SEEDS, seed_text
from tests.doubles import CountingBackend, recorded_answer

LABELS = ROOT / "tests" / "verification" / "labels.jsonl"


def test_labelled_set_is_well_formed() -> None:
    items = load_items(LABELS)
    assert len({i["id"] for i in items}) == len(items)
    for seed in sorted(p.stem for p in SEEDS.glob("*.txt")):
        mine = [i for i in items if i["seed"] == seed]
        assert sum(i["label"] for i in mine) >= 20 and sum(not i["label"] for i in mine) >= 20
        text = seed_text(f"{seed}.txt")
        for item in mine:
            if item["label"]:
                assert item["surface"] in text, item["id"]


def test_verifier_flags_false_values_with_the_required_precision_and_recall() -> None:
    tallies = score(load_items(LABELS), SEEDS, verify_record)
    overall = tallies["all"]
    assert overall.precision >= 0.99, overall.misses
    assert overall.recall >= 0.99, overall.misses
    for kind in ("number", "place", "actor", "date", "quote"):
        assert tallies[kind].tp + tallies[kind].tn > 0


def test_held_out_set_written_blind_to_the_code_meets_the_same_bar() -> None:
    heldout = LABELS.parent / "heldout"
    overall = score(load_items(heldout / "labels.jsonl"), heldout, verify_record)["all"]
    # aggregate only: the items of the held-out set are not printed
    assert overall.precision >= 0.99, f"precision {overall.precision:.3f}"
    assert overall.recall >= 0.99, f"recall {overall.recall:.3f}"


def recorded_record() -> ArticleExtraction:
    answer, _ = recorded_answer()
    return ArticleExtraction.model_validate(answer)


def test_offsets_slice_the_users_text_even_after_mojibake_repair() -> None:
    text = seed_text("000_16f55f85dcef49e5.txt")
    record = recorded_record().model_copy(deep=True)
    incident = record.incidents[0]
    incident.locations[0].name = "Mali"
    incident.locations[0].quote = "Mali’s intensified efforts"  # the file says "Maliās"
    report = verify(record, text)
    by_path = {v.path: v for v in report.verdicts}
    quote = by_path["incidents[0].locations[0].quote"]
    assert quote.verdict == "supported" and quote.span is not None
    assert (
        text[quote.span.start : quote.span.end] == quote.span.text == "Maliās intensified efforts"
    )
    for verdict in report.verdicts:
        if verdict.span:
            assert text[verdict.span.start : verdict.span.end] == verdict.span.text


def test_the_small_models_recorded_answer_is_judged_value_by_value() -> None:
    report = verify(recorded_record(), seed_text("001_42dbdfaf130e5adc.txt"))
    summary = report.summary
    assert summary.total == len(report.verdicts) > 10
    assert summary.supported + summary.unsupported + summary.unverifiable == summary.total
    assert {v.kind for v in report.verdicts} >= {"place", "actor", "date", "quote"}
    assert all(v.reason for v in report.verdicts)


def test_policy_drop_removes_unsupported_entries_and_reports_them() -> None:
    text = seed_text("001_42dbdfaf130e5adc.txt")
    record = recorded_record().model_copy(deep=True)
    good = (
        record.incidents[0]
        .locations[0]
        .model_copy(
            update={
                "name": "Kayes",
                "admin1": None,
                "country": "Mali",
                "quote": "Kayes residents reported heavy gunfire",
            }
        )
    )
    bad = good.model_copy(update={"name": "Gao", "quote": "Gao residents reported gunfire"})
    record.incidents[0].locations = [good, bad]
    kept, report = verify_and_apply(record, text, policy="drop")
    assert [loc.name for loc in kept.incidents[0].locations] == ["Kayes"]
    assert "incidents[0].locations[1]" in report.removed
    assert report.policy == "drop"
    flagged, _ = verify_and_apply(record, text, policy="flag")
    assert len(flagged.incidents[0].locations) == 2


def test_policy_drop_removes_a_place_whose_country_or_region_is_unsupported() -> None:
    text = seed_text("001_42dbdfaf130e5adc.txt")
    record = recorded_record().model_copy(deep=True)
    kayes = record.incidents[0].locations[0].model_copy(
        update={"name": "Kayes", "admin1": None, "country": "Mali",
                "quote": "Kayes residents reported heavy gunfire"}
    )  # fmt: skip
    invented = [
        kayes.model_copy(update={"country": "Algeria"}),
        kayes.model_copy(update={"admin1": "Santos de Nizi"}),
    ]
    record.incidents[0].locations = [kayes, *invented]
    kept, report = verify_and_apply(record, text, policy="drop")
    assert [(loc.name, loc.admin1, loc.country) for loc in kept.incidents[0].locations] == [
        ("Kayes", None, "Mali")
    ]
    assert {"incidents[0].locations[1]", "incidents[0].locations[2]"} <= set(report.removed)


def test_a_region_the_gazetteer_puts_elsewhere_is_unsupported() -> None:
    """GeoNames names no region outside Mali, but a region's seat city has its admin1
    code: Dibis (Kirkuk governorate) is not in Erbil; Dnipro is not in Donetsk."""
    from llm_extract.extraction.place_checks import gazetteer_admin1

    wrong = gazetteer_admin1("Dibis", "Erbil", None)
    assert wrong is not None and wrong.code == "wrong_region"
    assert gazetteer_admin1("Dnipro", "Donetsk Oblast", "Ukraine") is not None
    assert gazetteer_admin1("Dibis", "Kirkuk", None) is None
    assert gazetteer_admin1("Dnipro", "Dnipropetrovsk", "Ukraine") is None
    assert gazetteer_admin1("Nowhere-on-earth", "Erbil", None) is None


def test_an_incident_with_no_supported_place_is_dropped_whole() -> None:
    record = recorded_record().model_copy(deep=True)
    for loc in record.incidents[0].locations:
        loc.name = "Gao"
    kept, report = verify_and_apply(record, seed_text("001_42dbdfaf130e5adc.txt"), policy="drop")
    assert kept.incidents == [] and "incidents[0]" in report.removed


def test_policy_reask_sends_findings_within_the_reask_budget(tmp_path: Path) -> None:
    backend = CountingBackend()  # always gives the same recorded answer
    settings = Settings(policy="reask", max_validation_retries=2, cache_dir=tmp_path)
    result = Extractor(settings, backend=backend).extract(seed_text("003_880e22595b6a996f.txt"))
    assert result.verification.summary.unsupported > 0
    assert len(backend.calls) == 3, "first answer + two re-asks, then the budget is spent"
    follow_up = backend.calls[1].messages
    assert follow_up[-2]["role"] == "assistant"
    assert "found these values unsupported" in follow_up[-1]["content"]
    assert result.usage.requests == 3
    flag = Extractor(Settings(cache_dir=tmp_path), backend=backend).extract(
        seed_text("003_880e22595b6a996f.txt")
    )
    assert flag.provenance.cache_key != result.provenance.cache_key


def test_extract_results_carry_the_report(tmp_path: Path) -> None:
    backend = CountingBackend()
    result = Extractor(Settings(cache_dir=tmp_path), backend=backend).extract(
        seed_text("001_42dbdfaf130e5adc.txt")
    )
    again = Extractor(Settings(cache_dir=tmp_path), backend=backend).extract(
        seed_text("001_42dbdfaf130e5adc.txt")
    )
    assert again.cached and again.verification == result.verification
    assert result.verification.summary.total > 0


@pytest.mark.parametrize(
    ("sentence", "count", "expected"),
    [
        ("Au moins 23 soldats ont été tués dimanche près de Ménaka.",
         dict(category="killed", victim_group="soldats", surface="au moins 23",
              qualifier="at_least", low=23, best=23, high=None), "supported"),
        ("Au moins 23 soldats ont été tués dimanche près de Ménaka.",
         dict(category="injured", victim_group="soldats", surface="23",
              qualifier="at_least", low=23, best=23, high=None), "unsupported"),
        ("Une trentaine d'assaillants ont été neutralisés, selon l'armée.",
         dict(category="killed", victim_group="assaillants", surface="une trentaine",
              qualifier="approximate", low=None, best=30, high=None), "supported"),
        ("Une trentaine d'assaillants ont été neutralisés, selon l'armée.",
         dict(category="killed", victim_group="civils", surface="une trentaine",
              qualifier="approximate", low=None, best=30, high=None), "unsupported"),
        ("Quatre-vingts terroristes ont été tués et sept localités reprises.",
         dict(category="killed", victim_group="terroristes", surface="quatre-vingts",
              qualifier="exact", low=80, best=80, high=80), "supported"),
        ("Quatre-vingts terroristes ont été tués et sept localités reprises.",
         dict(category="killed", victim_group="terroristes", surface="sept",
              qualifier="exact", low=7, best=7, high=7), "unsupported"),
        ("Between 70 and 80 fighters were killed in the raid, officials said.",
         dict(category="killed", victim_group="fighters", surface="between 70 and 80",
              qualifier="range", low=70, best=70, high=80), "supported"),
        ("Dozens of villagers were abducted near Djibo last week.",
         dict(category="abducted", victim_group="villagers", surface="dozens",
              qualifier="vague", low=12, best=12, high=None), "supported"),
    ],
)  # fmt: skip
def test_counts_in_english_and_french(sentence: str, count: dict[str, Any], expected: str) -> None:
    assert check_count(Document.from_text(sentence), **count).verdict == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("Les Forces armées maliennes ont riposté.", "FAMa", "supported"),
        ("Les Forces armées maliennes ont riposté.", "Malian Armed Forces", "supported"),
        ("Le GSIM a revendiqué l'attaque.", "JNIM", "supported"),
        ("Attack near Tillabéri and Ouallam.", "Tillaberi", "supported"),
        ("Attack near Tillabéri and Ouallam.", "Tillabery", "supported"),
        ("Attack near Niono and Dioura.", "Nioro", "unsupported"),
        ("Attack near Kayes.", "Kati", "unsupported"),
        ("The Burkinabe army and VDP volunteers repelled the assault.", "Wagner", "unsupported"),
    ],
)
def test_names_survive_spelling_and_refuse_absent_ones(text: str, name: str, expected: str) -> None:
    assert check_name(Document.from_text(text), name).verdict == expected


def test_relative_dates_need_and_use_the_publication_date() -> None:
    text = "Les attaques ont eu lieu lundi et mardi à Dori."
    without = check_date(Document.from_text(text), date(2025, 3, 10), date(2025, 3, 11))
    assert without.verdict == "unverifiable"
    anchored = Document.from_text(text, published=date(2025, 3, 12))
    assert check_date(anchored, date(2025, 3, 10), date(2025, 3, 11)).verdict == "supported"
    assert check_date(anchored, date(2025, 3, 3), date(2025, 3, 4)).verdict == "unsupported"


def test_cli_verify_prints_a_table_or_json_and_exits_1_on_unsupported(tmp_path: Path) -> None:
    record = recorded_record().model_copy(deep=True)
    record.incidents[0].locations[0].name = "Gao"
    path = tmp_path / "record.json"
    path.write_text(json.dumps({"record": record.model_dump(mode="json")}))
    seed = str(SEEDS / "001_42dbdfaf130e5adc.txt")
    table = CliRunner().invoke(main, ["verify", str(path), "--source", seed])
    assert table.exit_code == 1
    assert "unsupported" in table.stdout and "'Gao' is not named in the article" in table.stdout
    as_json = CliRunner().invoke(main, ["verify", str(path), "--source", seed, "--json",
                                        "--policy", "drop"])  # fmt: skip
    payload = json.loads(as_json.stdout)
    assert "incidents[0].locations[0]" in payload["verification"]["removed"]
    kept = [loc["name"] for inc in payload["record"]["incidents"] for loc in inc["locations"]]
    assert "Gao" not in kept


def test_cli_verify_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("not json")
    result = CliRunner().invoke(main, ["verify", str(path), "--source", str(path)])
    assert result.exit_code == 2 and "is not a JSON document" in result.stderr


def test_a_quote_copied_from_the_raw_file_is_verbatim_even_with_mojibake() -> None:
    text = seed_text("000_16f55f85dcef49e5.txt")
    quote = "killing overĀ 80 militants"  # exactly as the file has it
    record = recorded_record().model_copy(deep=True)
    record.incidents[0].classification_quote = quote
    by_path = {v.path: v for v in verify(record, text).verdicts}
    verdict = by_path["incidents[0].classification_quote"]
    assert verdict.verdict == "supported" and verdict.alignment == "exact"
    assert verdict.span is not None and verdict.span.text == quote


def test_a_region_named_only_with_another_town_is_not_this_place_s() -> None:
    from llm_extract.extraction.place_checks import named_places, region_elsewhere
    from llm_extract.text.grounding import Check

    doc = Document.from_text(
        "Heavy fighting was reported in the city of El Fasher, in North Darfur, on the "
        "morning of the third day.\n\n"
        "Separately, armed drones struck the Al-Jaili refinery north of Khartoum.\n\n"
        "Gunmen attacked the village of Simbolongo, in the Mucojo administrative post.\n\n"
        "The attacks took place in the Mucojo administrative post, in Macomia district, "
        "in the province of Cabo Delgado."
    )
    ok = Check("supported", "named verbatim", code="ok")
    named = named_places(doc)
    wrong = region_elsewhere(doc, "Al-Jaili refinery", "North Darfur", ok, named)
    assert wrong.code == "wrong_region" and "El Fasher" in wrong.reason
    assert region_elsewhere(doc, "El Fasher", "North Darfur", ok, named).code == "ok"
    # a chain of units joins the village to its province
    assert region_elsewhere(doc, "Simbolongo", "Cabo Delgado", ok, named).code == "ok"


def test_a_country_the_article_never_names_is_judged_by_the_towns_it_names() -> None:
    from llm_extract.extraction.place_checks import country_of_places, named_places

    doc = Document.from_text(
        "Des miliciens ont attaqué vendredi le village de Kilo, à 55 km au nord de Bunia. "
        "Au moins 30 civils ont été tués."
    )
    absent = Check("unsupported", "not named in the article", code="wrong_region")
    named = named_places(doc)
    found = country_of_places(doc, "Kilo", "République démocratique du Congo", absent, named)
    assert found.verdict == "supported" and "Bunia" in found.reason
    assert country_of_places(doc, "Kilo", "Cameroun", absent, named).code == "wrong_region"
    # a neighbour the text names only apart from the place, when its towns are elsewhere
    doc = Document.from_text(
        "Des miliciens ont attaqué vendredi le village de Kilo, à 55 km au nord de Bunia.\n\n"
        "Kinshasa accuse le Rwanda de soutenir les rebelles."
    )
    ok = Check("supported", "named verbatim", code="ok")
    apart = country_of_places(doc, "Kilo", "Rwanda", ok, named_places(doc))
    assert apart.code == "wrong_region" and "Bunia" in apart.reason
    # a country's name that only ever names a state of another country
    doc = Document.from_text("Gunmen stormed Kasuwan-Daji, in Niger state's Borgu area.")
    state = country_of_places(doc, "Kasuwan-Daji", "Niger", ok, named_places(doc))
    assert state.code == "wrong_region" and "state" in state.reason


def test_a_quote_mentions_a_value_whose_words_it_gives_in_a_row_marks_aside() -> None:
    from llm_extract.text.grounding import check_quote

    doc = Document.from_text("Une source a fait état de 4 morts et des « blessés » dimanche.")
    assert check_quote(doc, "4 morts et des « blessés »", "des blessés").verdict == "supported"
    assert check_quote(doc, "4 morts et des « blessés »", "des morts").verdict == "unsupported"


def test_a_country_s_state_media_is_still_the_country() -> None:
    from llm_extract.extraction.place_checks import country_of_places, named_places

    doc = Document.from_text("Gunmen killed 12 in Djibo, Burkina Faso state television said.")
    ok = Check("supported", "named verbatim", code="ok")
    assert country_of_places(doc, "Djibo", "Burkina Faso", ok, named_places(doc)).code == "ok"


def _incident_at(*places: str) -> Any:
    return ArticleExtraction.model_validate(
        {
            "incidents": [
                {
                    "summary": "s",
                    "classification": {"event_type": "Battles", "sub_event_type": "Armed clash"},
                    "classification_quote": "q",
                    "date": {"text": "Monday", "start": None, "end": None, "precision": 1,
                             "quote": "q"},
                    "locations": [{"name": p, "admin1": None, "country": None, "precision": 1,
                                   "quote": p} for p in places],
                    "is_aggregate": False,
                    "actors": [],
                    "counts": [],
                    "claims": [],
                }
            ]
        }
    ).incidents[0]  # fmt: skip


def test_an_actor_named_only_for_another_place_or_an_earlier_story_is_not_this_incidents() -> None:
    from llm_extract.extraction.place_checks import actor_elsewhere, elsewhere, named_places

    doc = Document.from_text(
        "Gunmen stormed a market in the town of Karu on Monday, killing nine traders.\n\n"
        "In the Kosti district, where a patrol was ambushed last week, marines killed "
        "several rebels in raids on the village of Abiri.\n\n"
        "The raid came just days after an explosive device killed six policemen on a road "
        "near Dara, an attack blamed on the Red Hand brigade."
    )
    ok = Check("supported", "named verbatim", 0, 1, code="ok")
    named = named_places(doc)
    karu = _incident_at("Karu")
    marines = actor_elsewhere(doc, karu, "marines", ok, named)
    assert marines.code == "background" and "Kosti" in marines.reason
    brigade = actor_elsewhere(doc, karu, "Red Hand brigade", ok, named)
    assert brigade.code == "background" and "earlier event" in brigade.reason
    assert actor_elsewhere(doc, karu, "Gunmen", ok, named).code == "ok"
    # a record of the earlier story names its place there: not turned down
    assert actor_elsewhere(doc, _incident_at("Dara"), "Red Hand brigade", ok, named).code == "ok"
    six = doc.text.index("six policemen")
    toll = elsewhere(doc, karu, "six", Check("supported", "", six, six + 3, code="ok"), named)
    assert toll.code == "other_event" and "earlier event" in toll.reason


def test_a_claim_s_quote_must_say_its_statement() -> None:
    from llm_extract.roles.statements import check_statement
    from llm_extract.text.grounding import Document

    doc = Document.from_text(
        "Gunmen attacked the village of Tula on Monday. The group claimed responsibility for "
        "the attack. Officials said talks with the group would be announced soon. The "
        "attackers shot the man in front of his wife, who was left unharmed."
    )

    def verdict(statement: str, quote: str) -> tuple[str, str | None]:
        found = check_statement(doc, statement, quote)
        return found.verdict, found.code

    assert verdict(
        "the group claimed the attack", "The group claimed responsibility for the attack"
    ) == ("supported", "ok")
    assert verdict(
        "talks with the group were announced", "talks with the group would be announced soon"
    ) == ("unsupported", "projection")
    assert verdict("the attackers shot the officials", "The group claimed responsibility") == (
        "unsupported",
        "mismatch",
    )  # the article's words, but another passage's
    assert (
        verdict("les assaillants ont brûlé des maisons", "The group claimed responsibility")[0]
        == "unverifiable"
    )  # another language than the article's: not read word by word

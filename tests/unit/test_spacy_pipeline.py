"""The spaCy pipeline builder: catalog-driven EntityRuler, saved, loadable by Rasa's SpacyNLP."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
import yaml

from bot.nlp import build_pipeline, make_nlp
from bot.nlp.build import CatalogFileError, load_catalog, main, parse_catalog
from bot.nlp.patterns import initials, without_certifying_body

ROOT = Path(__file__).resolve().parents[2]
COURSES = [
    ("NASM-CES", "Corrective Exercise Specialist"),
    ("NASM-PES", "Performance Enhancement Specialist"),
    ("ACE-FUNC-TRAIN", "Functional Training Specialist"),
    ("NASM-VIRTUAL-COACH", "Virtual Coaching Specialist"),
]
PROVIDERS = ["NASM", "National Academy of Sports Medicine", "American Council on Exercise", "Some Studio"]


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return make_nlp(COURSES, PROVIDERS)


def ents(nlp: spacy.language.Language, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("does the Corrective Exercise Specialist count", [("Corrective Exercise Specialist", "course")]),
        ("does the CORRECTIVE exercise specialist count", [("CORRECTIVE exercise specialist", "course")]),
        ("is nasm-ces approved", [("nasm-ces", "course")]),
        ("is NASM CES approved", [("NASM CES", "course")]),
        ("the NASM Performance Enhancement Specialist", [("NASM Performance Enhancement Specialist", "course")]),
        ("the corrective exercise course", [("corrective exercise", "course")]),
        ("ACE-FUNC-TRAIN please", [("ACE-FUNC-TRAIN", "course")]),
        ("is ACE approved", [("ACE", "provider")]),
        ("is the american council on exercise approved", [("american council on exercise", "provider")]),
        ("a workshop at some studio", [("some studio", "provider")]),
    ],
)
def test_courses_and_providers_come_from_the_catalog(nlp, text, expected) -> None:
    assert ents(nlp, text) == expected


def test_the_certifying_body_is_not_a_provider(nlp) -> None:
    assert ents(nlp, "is Some Studio approved by NASM?") == [("Some Studio", "provider")]
    assert ents(nlp, "does it count for the National Academy of Sports Medicine") == []
    assert without_certifying_body(["NASM", "ACE", "National Academy of Sports Medicine"]) == ["ACE"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("when does my CPT expire", [("CPT", "credential")]),
        ("my cpt and my CES", [("cpt", "credential"), ("CES", "credential")]),
        ("my NASM CPT", [("NASM CPT", "credential")]),
        ("my personal trainer certification", [("personal trainer certification", "credential")]),
    ],
)
def test_credentials(nlp, text, expected) -> None:
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    "text, amount",
    [
        ("I have 1.2 CEUs", "1.2 CEUs"),
        ("only .5 ceu so far", ".5 ceu"),
        ("got 0.8CEU", "0.8CEU"),
        ("1.9 CE units", "1.9 CE units"),
        ("2 credits", "2 credits"),
    ],
)
def test_ceu_amounts(nlp, text, amount) -> None:
    assert ents(nlp, text) == [(amount, "ceu_amount")]


@pytest.mark.parametrize(
    "date",
    [
        "March 3", "June 3rd", "June 3, 2026", "Sept. 3rd", "3rd of June", "3/3", "3/3/2026",
        "2026-06-03", "last Tuesday", "next Friday", "in two weeks", "in 10 days", "in a couple of months",
        "next month", "this week", "today", "tomorrow", "two weeks ago", "end of the month", "December",
    ],
)
def test_dates(nlp, date) -> None:
    assert ents(nlp, f"my cert expires {date} ok") == [(date, "date")]


def test_month_names_that_are_common_words_need_a_day(nlp) -> None:
    assert ents(nlp, "I may renew in march") == []
    assert ents(nlp, "I renew May 5") == [("May 5", "date")]


def test_what_if_message_gets_all_its_entities(nlp) -> None:
    text = "my CPT expires June 3 and I have 1.2 CEUs from the Corrective Exercise Specialist"
    assert ents(nlp, text) == [
        ("CPT", "credential"),
        ("June 3", "date"),
        ("1.2 CEUs", "ceu_amount"),
        ("Corrective Exercise Specialist", "course"),
    ]


def test_pattern_ids_point_at_the_catalog(nlp) -> None:
    [ent] = nlp("does NASM-CES count").ents
    assert ent.ent_id_ == "NASM-CES"


def test_initials() -> None:
    assert initials("American Council on Exercise") == "ACE"
    assert initials("Athletics and Fitness Association of America") == "AFAA"
    assert initials("Emergency Care & Safety Institute") == "ECSI"
    assert initials("Some Studio") is None  # too short
    assert initials("American Heart Association") is None  # "aha" is an everyday word


def test_build_saves_a_pipeline_rasa_can_load(tmp_path: Path) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    out = build_pipeline(COURSES, PROVIDERS, tmp_path / "spacy_en_recert")
    assert out == tmp_path / "spacy_en_recert"
    model = SpacyNLP.load_model(str(out))
    SpacyNLP.ensure_proper_language_model(model.model)
    assert model.model.pipe_names == ["entity_ruler"]
    assert model.model.vocab.vectors_length == 0  # blank: SpacyFeaturizer adds no features
    assert [(e.text, e.label_) for e in model.model("is ACE approved").ents] == [("ACE", "provider")]


def test_rebuild_replaces_the_old_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "p"
    build_pipeline(COURSES, PROVIDERS, out)
    build_pipeline([("X-1", "Underwater Basket Weaving")], [], out)
    reloaded = spacy.load(out)
    assert [e.label_ for e in reloaded("underwater basket weaving or the corrective exercise specialist").ents] == ["course"]
    assert list(tmp_path.iterdir()) == [out]  # no scratch or retired directory left beside it


def test_parse_catalog_reads_the_import_format() -> None:
    catalog = parse_catalog(
        {
            "courses": [{"id": "NASM-CES", "title": "Corrective Exercise Specialist", "provider": "NASM", "ceus": 1.9}],
            "providers": [{"name": "National Academy of Sports Medicine", "approved": True}],
            "trainers": [],
        }
    )
    assert catalog.courses == [("NASM-CES", "Corrective Exercise Specialist")]
    # "NASM" is the initials of a listed provider, so it is that provider, not a second one
    assert catalog.providers == ["National Academy of Sports Medicine"]


@pytest.mark.parametrize(
    "data, where",
    [
        ([], "expected a mapping"),
        ({"courses": [{"id": "X"}]}, "courses[0].title"),
        ({"providers": [{"approved": True}]}, "providers[0].name"),
        ({"courses": [], "providers": []}, "no courses and no providers"),
    ],
)
def test_parse_catalog_names_the_bad_field(data, where) -> None:
    with pytest.raises(CatalogFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        parse_catalog(data)


def test_sample_catalog_keeps_the_ids_demo_records_use() -> None:
    catalog = load_catalog(ROOT / "data" / "catalog" / "sample-catalog.yml")
    ids = {course_id for course_id, _ in catalog.courses}
    assert {
        "NASM-CES", "NASM-PES", "NASM-CNC", "NASM-WLS", "NASM-YES", "NASM-SFS", "NASM-GPS", "AFAA-GFI",
        "ACE-FUNC-TRAIN", "NASM-MMA", "NASM-VIRTUAL-COACH", "NASM-BCS", "NASM-FNS", "AFAA-PILATES",
    } <= ids
    assert "SAMPLE DATA" in (ROOT / "data" / "catalog" / "sample-catalog.yml").read_text(encoding="utf-8")


def test_cli_builds_the_pipeline(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        yaml.safe_dump(
            {
                "courses": [{"id": "NASM-CES", "title": "Corrective Exercise Specialist", "provider": "NASM", "ceus": 1.9}],
                "providers": [{"name": "American Council on Exercise", "approved": True}],
            }
        )
    )
    policy = tmp_path / "policy.yml"
    policy.write_text(yaml.safe_dump({"cpr_aed_accepted_providers": [{"name": "American Red Cross", "aliases": ["Red Cross"]}]}))
    out = tmp_path / "pipeline"
    code = main(["--catalog", str(catalog), "--out", str(out), "--policy", str(policy)])
    assert code == 0
    loaded = spacy.load(out)
    assert [(e.text, e.label_) for e in loaded("is my Red Cross card ok").ents] == [("Red Cross", "provider")]
    assert [(e.text, e.label_) for e in loaded("does corrective exercise specialist count").ents] == [
        ("corrective exercise specialist", "course")
    ]


def test_cli_reports_a_bad_catalog(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("courses: [{id: X}]\n")
    assert main(["--catalog", str(bad), "--out", str(tmp_path / "p"), "--no-policy"]) == 2
    assert "courses[0].title" in capsys.readouterr().err


def test_no_catalog_is_trained_into_the_model() -> None:
    """Course and provider values reach the actions as typed: no synonym table, no annotated ids."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    assert "EntitySynonymMapper" not in names
    assert "bot.nlp.rasa_component.CredentialNames" in names
    for path in sorted((ROOT / "data").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            continue
        assert not any("synonym" in item for item in data.get("nlu") or []), f"{path}: a synonym table"
        text = path.read_text(encoding="utf-8")
        for label in ("course", "provider"):
            assert f"]({label}:" not in text, f"{path}: a {label} annotated with a value"
            assert f'"entity": "{label}", "value"' not in text, f"{path}: a {label} annotated with a value"


def test_credentials_are_named_by_program_and_courses_keep_their_words() -> None:
    from bot.nlp.entities import credential_names

    entities = [
        {"entity": "credential", "value": "personal trainer cert", "start": 0, "end": 21},
        {"entity": "credential", "value": "NASM cpt", "start": 0, "end": 8},
        {"entity": "credential", "value": "my old badge", "start": 0, "end": 12},
        {"entity": "course", "value": "CES", "start": 0, "end": 3},
        {"entity": "provider", "value": "ace", "start": 0, "end": 3},
    ]
    assert [e["value"] for e in credential_names(entities)] == [
        "NASM-CPT", "NASM-CPT", "my old badge", "CES", "ace",
    ]
    assert entities[0]["value"] == "personal trainer cert"  # a copy, not changed in place


def _ent(text: str, part: str, label: str, extractor: str, start: int | None = None) -> dict:
    begin = text.index(part) if start is None else start
    return {"entity": label, "start": begin, "end": begin + len(part), "value": part, "extractor": extractor}


def test_catalog_entity_wins_over_an_overlapping_diet_fragment() -> None:
    from bot.nlp.entities import resolve_overlaps

    text = "it's NASM-YES"
    resolved = resolve_overlaps(
        text, [_ent(text, "NASM-", "course", "DIETClassifier"), _ent(text, "NASM-YES", "course", "SpacyEntityExtractor")]
    )
    assert [(e["value"], e["extractor"]) for e in resolved] == [("NASM-YES", "SpacyEntityExtractor")]


def test_diet_fragments_are_joined_and_kept_when_the_catalog_has_nothing() -> None:
    from bot.nlp.entities import resolve_overlaps

    text = "Advanced Kettlebell Flow from Some Studio"
    resolved = resolve_overlaps(
        text,
        [
            _ent(text, "Advanced", "course", "DIETClassifier"),
            _ent(text, "Kettlebell Flow", "course", "DIETClassifier"),
            _ent(text, "Some Studio", "provider", "SpacyEntityExtractor"),
        ],
    )
    assert [(e["value"], e["entity"]) for e in resolved] == [
        ("Advanced Kettlebell Flow", "course"),
        ("Some Studio", "provider"),
    ]


def test_entities_without_positions_are_kept() -> None:
    from bot.nlp.entities import resolve_overlaps

    payload = {"entity": "course", "value": "NASM-CES"}
    assert resolve_overlaps("/inform", [payload]) == [payload]


def test_rasa_component_resolves_message_entities() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlp.rasa_component import EntityOverlapResolver

    text = "is ACE approved"
    message = Message(
        data={
            "text": text,
            "entities": [_ent(text, "ACE approved", "provider", "DIETClassifier"), _ent(text, "ACE", "provider", "SpacyEntityExtractor")],
        }
    )
    [out] = EntityOverlapResolver(EntityOverlapResolver.get_default_config()).process([message])
    assert [(e["value"], e["extractor"]) for e in out.get("entities")] == [("ACE", "SpacyEntityExtractor")]


def test_rasa_component_names_credentials_only() -> None:
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlp.rasa_component import CredentialNames

    text = "does my CPT need the CES"
    message = Message(
        data={
            "text": text,
            "entities": [_ent(text, "CPT", "credential", "SpacyEntityExtractor"), _ent(text, "CES", "course", "DIETClassifier")],
        }
    )
    [out] = CredentialNames().process([message])
    assert [(e["entity"], e["value"]) for e in out.get("entities")] == [("credential", "NASM-CPT"), ("course", "CES")]

"""Localisation: from weakness, numbness and reflexes to the root, cord or nerve most probably at fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from spinecheck.core.assessment import assess
from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBaseError, load_knowledge_base
from spinecheck.core.localisation import Localisation, NeuroanatomyFile, Side, localise, neuroanatomy_problems
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.services.assessment import load_model

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"
NEURO = NeuroanatomyFile.model_validate(
    yaml.safe_load((DEFAULT_ROOT / "neuroanatomy.yaml").read_text(encoding="utf-8"))
)

L5_FOOT_DROP = {"weakness_ankle_dorsiflexion", "weakness_big_toe_extension", "numbness_foot_top_big_toe"}


def where(present: set[str], absent: set[str] | None = None, **sides: Side) -> Localisation | None:
    evidence = Evidence(present=frozenset(present), absent=frozenset(absent or set()))
    return localise(NEURO, evidence, sides or None)


def level(present: set[str], absent: set[str] | None = None) -> str | None:
    result = where(present, absent)
    assert result is not None
    return result.level


# --- the classic root syndromes ---------------------------------------------------------------


def test_weak_knee_extension_reduced_knee_jerk_and_inner_shin_numbness_is_l4() -> None:
    assert level({"weakness_knee_extension", "knee_reflex_reduced", "numbness_medial_shin"}) == "L4"


def test_weak_knee_extension_reduced_knee_jerk_and_front_thigh_numbness_is_l3() -> None:
    assert level({"weakness_knee_extension", "knee_reflex_reduced", "numbness_anterior_thigh"}) == "L3"


def test_weak_hip_flexion_with_front_thigh_numbness_is_l2() -> None:
    assert level({"weakness_hip_flexion", "numbness_anterior_thigh"}) == "L2"


def test_foot_drop_with_weak_big_toe_inversion_and_hip_abduction_is_l5() -> None:
    result = where(L5_FOOT_DROP | {"weak_ankle_inversion", "weakness_hip_abduction"})
    assert result is not None
    assert (result.level, result.pattern) == ("L5", "root (lower motor neuron)")
    assert result.confidence > 0.9


def test_weak_tiptoe_reduced_ankle_jerk_and_sole_numbness_is_s1() -> None:
    assert level({"weakness_plantar_flexion", "ankle_reflex_reduced", "numbness_sole_little_toe"}) == "S1"


# --- foot drop: L5 root versus common peroneal nerve ------------------------------------------


def test_foot_drop_with_normal_inversion_and_hip_abduction_and_tinel_is_the_peroneal_nerve() -> None:
    result = where(L5_FOOT_DROP | {"tinel_fibular_head"}, {"weak_ankle_inversion", "weakness_hip_abduction"})
    assert result is not None
    assert (result.level, result.pattern) == ("common peroneal nerve", "peripheral nerve")


def test_foot_drop_with_normal_inversion_and_hip_abduction_points_to_the_nerve_even_without_tinel() -> None:
    assert level(L5_FOOT_DROP, {"weak_ankle_inversion", "weakness_hip_abduction"}) == "common peroneal nerve"


def test_the_same_foot_drop_with_weak_inversion_is_l5() -> None:
    assert level(L5_FOOT_DROP | {"weak_ankle_inversion"}) == "L5"


def test_normal_inversion_lowers_confidence_in_l5() -> None:
    normal = where(L5_FOOT_DROP | {"weakness_hip_abduction"}, {"weak_ankle_inversion"})
    weak = where(L5_FOOT_DROP | {"weakness_hip_abduction", "weak_ankle_inversion"})
    assert normal is not None and weak is not None
    assert normal.level == weak.level == "L5"
    assert normal.confidence < weak.confidence


# --- cord versus root, and the other patterns -------------------------------------------------


def test_weakness_with_brisk_reflexes_and_babinski_is_the_cord() -> None:
    result = where({"weakness_ankle_dorsiflexion", "hyperreflexia_clonus", "babinski_positive"})
    assert result is not None
    assert (result.level, result.pattern) == ("spinal cord", "cord (upper motor neuron)")


def test_weakness_with_reduced_reflexes_is_a_root() -> None:
    result = where({"weakness_ankle_dorsiflexion", "weakness_knee_extension", "knee_reflex_reduced"})
    assert result is not None
    assert result.pattern == "root (lower motor neuron)"


def test_sensory_level_on_the_trunk_is_the_cord() -> None:
    assert level({"sensory_level_trunk", "leg_weakness_bilateral"}) == "spinal cord"


def test_saddle_numbness_is_the_cauda_equina_on_both_sides() -> None:
    result = where({"saddle_numbness"})
    assert result is not None
    assert (result.level, result.pattern, result.side) == ("cauda equina", "cauda equina", "both")


def test_stocking_numbness_of_both_feet_is_a_polyneuropathy() -> None:
    result = where({"numbness_both_feet_stocking", "ankle_reflex_reduced"})
    assert result is not None
    assert (result.pattern, result.side) == ("polyneuropathy", "both")


def test_outer_thigh_burning_is_the_lateral_femoral_cutaneous_nerve() -> None:
    assert level({"anterolateral_thigh_burning_numbness"}) == "lateral femoral cutaneous nerve"


def test_no_neurological_finding_gives_no_localisation() -> None:
    assert where({"low_back_pain", "slr_positive", "leg_pain_unilateral"}) is None
    assert where(set(), {"weakness_big_toe_extension"}) is None


# --- side, confidence, explanation ------------------------------------------------------------


def test_side_comes_from_the_findings_that_point_at_the_site() -> None:
    result = where(L5_FOOT_DROP, weakness_big_toe_extension="left")
    assert result is not None and result.side == "left"


def test_findings_on_both_sides_give_both() -> None:
    result = where(L5_FOOT_DROP, weakness_big_toe_extension="left", numbness_foot_top_big_toe="right")
    assert result is not None and result.side == "both"


def test_side_is_unknown_when_nothing_names_it() -> None:
    result = where(L5_FOOT_DROP)
    assert result is not None and result.side is None


def test_the_explanation_names_the_finding_and_its_source() -> None:
    result = where({"weakness_plantar_flexion", "ankle_reflex_reduced"})
    assert result is not None
    assert any("ankle reflex reduced" in line and "harrison_back_pain" in line for line in result.explanation)


localising = st.sets(st.sampled_from(sorted(NEURO.localising)), min_size=1, max_size=6)
other = st.sets(st.sampled_from(sorted(NEURO.finding_ids())), max_size=6)


@given(localising, other, other)
def test_confidence_is_a_probability_and_more_findings_never_crash(
    present: set[str], extra: set[str], absent: set[str]
) -> None:
    result = where(present | extra, absent - present - extra)
    if result is not None:
        assert 0.0 < result.confidence <= 1.0
        assert result.level is not None and result.pattern is not None


# --- the knowledge file and the loader --------------------------------------------------------


def test_every_weight_names_a_known_site_finding_and_source() -> None:
    sources = {line.split("id:")[1].strip() for line in (DEFAULT_ROOT / "sources.yaml").read_text().splitlines()
               if line.strip().startswith("- id:")}
    findings = {
        record["id"]
        for path in (DEFAULT_ROOT / "findings").glob("*.yaml")
        for record in (yaml.safe_load(path.read_text()) or {}).get("findings", [])
    }
    assert list(neuroanatomy_problems(NEURO, findings, sources)) == []


def test_a_weight_naming_an_unknown_site_is_rejected() -> None:
    raw = yaml.safe_load((DEFAULT_ROOT / "neuroanatomy.yaml").read_text())
    raw["weights"][0]["sites"] = ["l9"]
    with pytest.raises(ValueError, match="unknown sites: l9"):
        NeuroanatomyFile.model_validate(raw)


def _mini_kb_with(tmp_path: Path, neuroanatomy: str) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    (root / "neuroanatomy.yaml").write_text(neuroanatomy)
    return root


MINI_NEURO = """
schema_version: 1
scale: {value: 1.0, source: test_source}
sites:
  - {id: cauda_equina, level: cauda equina, pattern: cauda equina}
localising: [saddle_numbness]
weights:
  - {finding: saddle_numbness, sites: [cauda_equina], present: 4.0, source: test_source, why: sacral roots}
"""


def test_the_loader_reads_the_neuroanatomy_and_assess_fills_the_localisation(tmp_path: Path) -> None:
    model = load_model(_mini_kb_with(tmp_path, MINI_NEURO))
    result = assess(model, Evidence(present=frozenset({"saddle_numbness"})))
    assert result.localisation is not None
    assert result.localisation.level == "cauda equina"
    assert result.localisation.explanation[0].startswith("Saddle numbness: yes")


def test_a_kb_without_neuroanatomy_gives_no_localisation(mini_model: CompiledModel) -> None:
    assert assess(mini_model, Evidence(present=frozenset({"saddle_numbness"}))).localisation is None


def test_the_loader_names_the_file_and_entry_of_an_unknown_finding(tmp_path: Path) -> None:
    root = _mini_kb_with(tmp_path, MINI_NEURO.replace("{finding: saddle_numbness", "{finding: saddle_numbnes"))
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(root)
    assert "neuroanatomy.yaml: weights[0] (saddle_numbnes): names unknown finding 'saddle_numbnes'" in str(error.value)


def test_the_loader_reports_a_malformed_weight(tmp_path: Path) -> None:
    root = _mini_kb_with(tmp_path, MINI_NEURO.replace("present: 4.0", "present: lots"))
    with pytest.raises(KnowledgeBaseError, match=r"neuroanatomy.yaml: weights\[0\]: present"):
        load_knowledge_base(root)


def test_the_packaged_knowledge_base_localises_an_s1_syndrome_through_assess() -> None:
    try:
        model = load_model()
    except KnowledgeBaseError:
        pytest.skip("the packaged knowledge base does not load yet")
    s1 = {"weakness_plantar_flexion", "ankle_reflex_reduced", "numbness_sole_little_toe"}
    evidence = Evidence(present=frozenset(s1))
    result = assess(model, evidence, sides={"weakness_plantar_flexion": "right"})
    assert result.localisation is not None
    assert (result.localisation.level, result.localisation.side) == ("S1", "right")

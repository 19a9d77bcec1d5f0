"""Accuracy on published cases nobody here wrote (data/vignettes/external/), findings entered from the
case text by someone who did not see the answer, and the same findings answering the interview.

Two kinds of check for each set. The targets (emergency sensitivity 1.0 and under-triage at most 5%
with the findings, gold in the top three for 90%; in the interview, emergency sensitivity at least
0.97 and under-triage at most 7%) are not reached yet: they are expected failures, strictly, so that
reaching one is noticed. The figures reached are floors that a change must not fall below; they
are the figures in docs/vignettes.md, less a small allowance for a single case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import spinecheck.services.interview  # noqa: F401  (registers the interview mode)
from spinecheck.core.model import CompiledModel
from spinecheck.services import evaluation

EXTERNAL = Path(__file__).resolve().parents[1] / "data" / "vignettes" / "external"
PUBLISHED = evaluation.read_published_sets(EXTERNAL)
SETS = PUBLISHED.development
# A seventh draw, held out of the pooled figures: measured on arrival and after every change, so that it shows how
# the engine does on cases it was not fitted to (data/vignettes/external/README.md).
HELD_OUT = PUBLISHED.held_out
NOT_YET = pytest.mark.xfail(strict=True, reason="below the target on published cases (docs/vignettes.md)")

# (top-3 at least, under-triage at most, emergency sensitivity at least), as reached.
FINDINGS_FLOOR = {
    "exam": (0.78, 0.05, 0.95),
    "reports": (0.84, 0.06, 1.0),
    "exam_more": (0.80, 0.06, 0.90),
    "reports_more": (0.74, 0.02, 0.96),
    "exam_third": (0.84, 0.04, 1.0),
    "reports_third": (0.70, 0.05, 0.90),
    "exam_fourth": (0.89, 0.0, 1.0),
    "reports_fourth": (0.44, 0.23, 1.0),
    "exam_fifth": (0.73, 0.06, 0.66),
    "reports_fifth": (0.53, 0.21, 0.60),
    "exam_sixth": (0.45, 0.0, 1.0),
    "reports_sixth": (0.60, 0.0, 1.0),
    "exam_eighth": (0.45, 0.05, 1.0),
    "reports_eighth": (0.93, 0.0, 1.0),
    "reports_ninth": (0.73, 0.07, 0.83),
    "reports_tenth": (0.53, 0.20, 0.83),
    "reports_eleventh": (0.86, 0.07, 1.0),
    "exam_twelfth": (0.25, 0.05, 0.80),
    "reports_thirteenth": (0.46, 0.54, 0.28),
    "reports_fourteenth": (0.78, 0.0, 1.0),
    "reports_fifteenth": (0.46, 0.14, 1.0),
    "reports_sixteenth": (0.60, 0.20, 0.50),
    "reports_seventeenth": (0.73, 0.0, 1.0),
    "reports_eighteenth": (0.26, 0.20, 1.0),
    "reports_nineteenth": (0.53, 0.07, 0.80),
    "reports_twentieth": (0.57, 0.0, 1.0),
    "reports_twentyfirst": (0.33, 0.14, 0.60),
    "reports_twentysecond": (0.46, 0.14, 0.80),
    "reports_twentythird": (0.40, 0.0, 1.0),
    "reports_twentyfourth": (0.20, 0.07, 0.80),
    "reports_twentyfifth": (0.33, 0.07, 0.80),
    "reports_twentysixth": (0.53, 0.20, 0.60),
    "all": (0.67, 0.07, 0.89),
    "exam_seventh": (0.55, 0.05, 1.0),
    "reports_seventh": (0.80, 0.0, 1.0),
}
INTERVIEW_FLOOR = {
    "exam": (0.61, 0.07, 0.95),
    "reports": (0.67, 0.05, 1.0),
    "exam_more": (0.50, 0.09, 0.80),
    "reports_more": (0.48, 0.07, 0.92),
    "exam_third": (0.51, 0.04, 1.0),
    "reports_third": (0.54, 0.05, 1.0),
    "exam_fourth": (0.63, 0.06, 0.83),
    "reports_fourth": (0.33, 0.0, 1.0),
    "exam_fifth": (0.57, 0.22, 0.66),
    "reports_fifth": (0.33, 0.34, 0.40),
    "exam_sixth": (0.20, 0.10, 1.0),
    "reports_sixth": (0.60, 0.07, 1.0),
    "exam_eighth": (0.25, 0.15, 0.83),
    "reports_eighth": (0.73, 0.0, 1.0),
    "reports_ninth": (0.53, 0.07, 0.83),
    "reports_tenth": (0.33, 0.14, 0.83),
    "reports_eleventh": (0.66, 0.07, 1.0),
    "exam_twelfth": (0.15, 0.20, 0.60),
    "reports_thirteenth": (0.33, 0.60, 0.28),
    "reports_fourteenth": (0.42, 0.0, 1.0),
    "reports_fifteenth": (0.26, 0.20, 1.0),
    "reports_sixteenth": (0.50, 0.20, 0.50),
    "reports_seventeenth": (0.60, 0.14, 0.80),
    "reports_eighteenth": (0.26, 0.14, 1.0),
    "reports_nineteenth": (0.40, 0.0, 1.0),
    "reports_twentieth": (0.50, 0.0, 1.0),
    "reports_twentyfirst": (0.26, 0.20, 0.60),
    "reports_twentysecond": (0.33, 0.20, 0.60),
    "reports_twentythird": (0.33, 0.0, 1.0),
    "reports_twentyfourth": (0.20, 0.0, 1.0),
    "reports_twentyfifth": (0.33, 0.14, 0.80),
    "reports_twentysixth": (0.20, 0.14, 0.80),
    "all": (0.49, 0.087, 0.87),
    "exam_seventh": (0.40, 0.10, 1.0),
    "reports_seventh": (0.53, 0.07, 1.0),
}
# The interview's top-3 floors were lowered on 2 December 2026 (reports 0.64 -> 0.62, reports_more
# 0.31 -> 0.27): a leg that became weak suddenly is now an emergency on its own (ADR 0011), so those
# interviews end with the emergency message about four questions sooner, before the questions that
# used to put the stroke or the blocked artery first.
# The findings-mode top-3 floor of the second exam set was lowered on 3 December 2026 (0.66 -> 0.61)
# when a choice came to count once (ADR 0013): three of its 36 cases moved from third place to
# fourth or sixth, while top-3 rose on the other three sets and on the development set.
# The interview's top-3 floor of the second exam set was lowered later that day (0.38 -> 0.36) when a
# numb strip of one nerve root came to count against a cord lesion: one interview (a vitamin B12 cord
# disease) now asks next whether the numbness of both legs is getting worse, which is an emergency on
# its own, and ends there; the second case-report set's interview top-3 rose from 0.47 to 0.50.
# The findings-mode top-3 floor of the first exam set was lowered on 5 December 2026 (0.73 -> 0.72) when a
# stress fracture of the hip became a condition of its own: a spondyloarthritis case with a painful hip
# and nothing of the back moved from third to fourth, while the two case-report stress fractures moved
# to first (top-3 of the second case-report set 0.72 -> 0.74).

# On 5 December 2026 five conditions that published cases brought were added (acute leukaemia, Friedreich
# ataxia, acute haemolysis, osteomalacia, osteomyelitis of a leg bone): the floors of the two exam sets and of
# the pooled sets were raised to the figures reached (docs/vignettes.md, fourth round).

# On 6 December 2026 two more sets of published cases joined (`exam_third`, `reports_third`, 57 cases, mapped
# blind): their floors are the figures they reached when they came, and the pooled floors are those of all six
# sets (findings-mode emergency sensitivity of the pool 0.96 -> 0.95: one stroke told only as a foot drop of a
# week, urgent by the evidence for a progressive deficit of one limb, is among the new emergencies).
# The same day a fourth draw joined (`exam_fourth`, 19 exam questions from the MedQA training split;
# `reports_fourth`, 9 case reports), mapped blind; its floors too are the figures it reached on arrival (five of
# its 28 gold diagnoses are not in the knowledge base: a kidney torn in a fight, two knee osteoarthritis, a
# tendon damaged by an antibiotic, polymyalgia rheumatica), and the pooled top-3 floors fell by one or two
# points with it.

# On 6 December 2026 (eleventh round) knee osteoarthritis joined as a condition, with the figures of the fourth
# draw's two knee cases raised to first place: its findings-mode top-3 floor rose to 0.84 and its interview
# under-triage target was reached. The second exam set's interview floor was lowered (top-3 0.44 -> 0.41,
# under-triage 0.07 -> 0.09) for one case: a relapse of multiple sclerosis, whose interview reaches the
# 20-question cap with most answers "don't know"; any change to the priors' exponent reorders its last
# questions, and it ends at routine instead of at emergency (its gold is urgent), so the target it had
# reached by that margin is lost with it (docs/vignettes.md, eleventh round).
# Polymyalgia rheumatica joined the same day: the fourth draw's case of it is now first in findings mode (top-3 of
# that set 0.33 -> 0.44), and routine, the evidence's level for polymyalgia without signs of giant cell arteritis
# (Dejaco 2015; Dasgupta 2010), where its gold is urgent, so that set's findings-mode under-triage floor is 0.23.

# On 6 December 2026 (twelfth round) a fifth draw joined (`exam_fifth`, 19 MedQA training-split items; `reports_fifth`,
# 15 case reports), gathered and mapped blind by people who had not seen the reader or the knowledge base, and
# measured before anything was changed for it: its floors are the figures it reached on arrival, and with it the
# pooled findings-mode under-triage (0.048 -> 0.056) and emergency sensitivity (0.95 -> 0.93) and the pooled
# interview's under-triage (0.053 -> 0.077) and emergency sensitivity (0.94 -> 0.91) fell, so the pooled targets
# of findings-mode and interview under-triage are no longer reached (docs/vignettes.md, twelfth round).
# The same day acute bacterial prostatitis gained the measured fever of its series, and a
# vertebral osteomyelitis of the second case-report set came into the top three: that set's findings-mode top-3
# floor rose to 0.74 (reached 0.76).

# On 6 December 2026 (thirteenth round) a sixth draw joined (`exam_sixth`, 20 MedQA training-split items;
# `reports_sixth`, 15 case reports), gathered and mapped blind in the same way and measured before anything was
# changed for it: its floors are its figures on arrival. Thirteen of its twenty exam golds are not conditions of the
# knowledge base (among them tetanus, Wilson disease, Wernicke encephalopathy, porphyria, haemophilia), so that
# set's top-3 is low by construction. With it the pooled findings-mode top-3 (0.78 -> 0.75) and emergency
# sensitivity (0.93 -> 0.92), and the pooled interview's top-3 (0.57 -> 0.55) and under-triage (0.077 -> 0.082)
# fell (docs/vignettes.md, thirteenth round).

# On 6 December 2026 (fifteenth round) conditions that published cases brought joined (a sacral insufficiency
# fracture, a spinal dural arteriovenous fistula, an acute porphyria attack, Wernicke encephalopathy, coarctation of
# the aorta, a pilonidal abscess, coccydynia), with a tender calf counted against back and leg presenters in general:
# the floors above were raised to the figures reached (docs/vignettes.md, fifteenth round), and the third draw's exam
# set reaches the findings-mode top-3 target and the fourth draw's the interview median.

# On 6 December 2026 (eighteenth round) the maps were extended blind with the eight findings added since they were
# made (a hot swollen joint, a broken lower rib, low sodium, eye-movement signs, meningism, tailbone pain, a lump at
# the natal cleft, a grinding knee): 41 cases gained 42 entries (data/vignettes/external/README.md). The haemophilic
# knee bleed of the sixth exam draw became an emergency in both modes, so that set reaches the findings-mode
# under-triage and the interview's emergency-sensitivity targets; the floors above were raised to the figures reached.

# On 6 December 2026 (nineteenth round) weakness that is getting worse came to mean getting worse at any pace, as the
# interview's checklist, the reader and the published cases' maps already used it, and the conditions whose weakness
# builds over weeks to months took its likelihood from their own figures (ADR 0017). Findings-mode top-1 rose on the
# pool (0.599 -> 0.606) and triage exact (0.714 -> 0.723); the floors above were raised to the figures reached. Two
# interview floors were lowered, each for one case: the third case-report set's top-3 (0.62 -> 0.58), where a
# Guillain-Barre syndrome asked into the 20-question cap now has muscle disease third before it; and the fourth draw's
# under-triage (0.0 -> 0.12, so its target is no longer reached), where a myeloma told as six months of buttock pain
# that began with heavy lifting is now asked how the pain began, and ends at routine, the level findings mode gives
# it with every answer known (pooled interview under-triage 0.070 -> 0.073; docs/vignettes.md, nineteenth round).
# Later that round localised spinal tenderness counted for cancer in the spine (NICE NG234 lists it) and weakness near
# the hips and shoulders for periodic paralysis: the fourth exam draw reaches the findings-mode top-3 target (0.84 ->
# 0.89).

# On 7 December 2026 (twentieth round) a fast pulse or a low blood pressure after an injury became an emergency at
# any age (ATLS class II, Rossaint 2016), and a broken lower rib is taken for an injury until the injury is denied:
# the fourth exam draw reaches both findings-mode safety targets, and the pooled findings-mode under-triage reaches
# its target (0.054 -> 0.049); the floors above were raised to the figures reached.

# The same day a hot swollen joint with a fever or feeling very unwell became an emergency, as the joint rule's own
# message had always asked (Coakley 2006). The third exam draw's interview top-3 floor was lowered (0.51 -> 0.48): a
# septic knee's interview now ends at the emergency message before the questions that put its cause in the top three.

# The same session gout and pseudogout (one card) and septic arthritis of the knee, ankle or another leg joint became
# conditions (Reed 2012, Elfishawi 2018, Margaretten 2007, Helito 2014), where the knowledge base had only the hip's
# septic arthritis and a rule for a hot swollen joint. The pooled interview under-triage reaches its target (30 -> 28
# of 426) and the pooled findings-mode under-triage falls (21 -> 20); the held-out exam draw's findings-mode top-3
# rises (0.45 -> 0.55). Three findings-mode cases leave the top three for the broader differential of a leg joint
# (a child's femoral osteomyelitis behind a septic knee, a calf clot and a spinal infection whose maps leave out the
# joint): the pooled findings-mode top-3 floor was lowered (0.77 -> 0.76), the third exam draw's (0.87 -> 0.84, and
# with it its reached top-3 target, 28 of 33 against 0.85) and the third case-report draw's (0.79 -> 0.75); in the
# interview the first exam draw's (0.63 -> 0.61: a leukaemia behind two septic joints) and the third case-report
# draw's (0.58 -> 0.54: the calf clot). The other floors were raised to the figures reached.

# On 7 December 2026 (twenty-second round) the deep vein thrombosis card gained the share of clots that reach the
# veins below the knee (Baroncini 2013) and its published delay to diagnosis (Elliott 2005): the calf clot of the
# third case-report draw is back in the findings-mode top three, and that floor returns to 0.79.

# On 7 December 2026 (twenty-third round) an eighth draw joined the development sets (`exam_eighth`, 17 MedQA dev-split
# and 3 HEAD-QA items; `reports_eighth`, 15 case reports), gathered and mapped blind in the same way and measured
# before anything was changed for it: its floors are its figures on arrival. Eleven of its twenty exam golds are
# not conditions of the knowledge base by any name (knee injuries and overuse, Parkinson disease, a newborn's hip
# dysplasia, an ankle sprain, among others); its fifteen case reports reach every findings-mode target. With it the
# pooled findings-mode top-3 (0.768 -> 0.761) and under-triage (20 of 426 -> 22 of 461) and the interview's top-3
# (0.566 -> 0.557) and under-triage (28 of 426 -> 31 of 461) moved (docs/vignettes.md, twenty-third round).
# Later that round the catalogue gained a broken thigh or shin bone on imaging, an emergency of its own (a broken
# femur is splinted and taken to hospital; Journal of Paramedic Practice, after Lee and Porter 2005), read blind into
# every map: two pathological femoral fractures (the sixth and eighth exam draws) reach the emergency message, and the
# pooled findings-mode emergency sensitivity rises (130 -> 132 of 139) and under-triage falls (22 -> 20 of 461).
# Then a ninth draw of 15 case reports joined (`reports_ninth`: 6 emergencies, 5 urgent, 2 routine, 2 self care),
# gathered and mapped blind in the same way; its floors are its figures on arrival. Two of its six emergencies end at
# the same day (a hip fracture in a woman of 84 that the first X-ray missed, and a ruptured aneurysm told as hip pain
# alone), and with it the pooled findings-mode emergency sensitivity is 136 of 145 and under-triage 22 of 476.
# A tenth draw of 15 case reports joined in the twenty-fourth round (`reports_tenth`: 6 emergencies, 4 urgent, 3
# routine, 2 self care), gathered and mapped blind in the same way; its floors are its figures on arrival. One of its
# emergencies ends at the same day (a necrotising infection of the leg told only as leg pain and fever on
# immune-suppressing treatment), and with it the pooled findings-mode emergency sensitivity is 142 of 151, under-triage
# 24 of 491 (0.049), top-3 0.754; the interview's pooled top-3 is 0.550.
# Later that round red, hot, swollen skin of a leg became a finding, and cellulitis and necrotising fasciitis
# conditions (ADR 0021). Where a map leaves a swollen leg's colour unknown, cellulitis stands beside a clot: two
# of the third case reports' clots and blocked arteries moved from the top three to fourth (findings-mode floor 0.79 ->
# 0.70), while the pooled top-1 and top-3 rose (0.595 -> 0.597, 0.754 -> 0.756). In the interview the history screen
# holds one more item and a myeloma told with almost nothing the person knows ran out of questions one question short
# of the answer that had made it urgent (reports_more under-triage 3 -> 4 of 58, floor 0.06 -> 0.07, top-3 0.50);
# the pooled interview under-triage fell (34 -> 32 of 491).
# An eleventh draw of 15 case reports joined (`reports_eleventh`: 2 emergencies, 5 urgent, 5 routine, 3 self care),
# leaning to ordinary presentations, gathered and mapped blind; its floors are its figures on arrival (findings mode:
# top-3 0.80, emergency sensitivity 1.0, under-triage 1 of 15, a clot told as groin pain). With it the pooled
# findings-mode under-triage is 25 of 506 (0.0494, floor 0.05) and emergency sensitivity 143 of 152.
# The hip fracture led to a rule (ADR 0020): an older adult who cannot stand after a fall is sent to the emergency
# department whatever a first X-ray showed (NICE CG124; Deleanu 2015), and that case reaches the emergency message in
# findings mode and in the interview (pooled findings-mode under-triage 22 -> 21 of 476, interview 33 -> 32).
# On 7 December 2026 the parts of a split finding came to count once (ADR 0022: pain in one leg beside "not in
# both", pain above the knee beside "not below it"). The eleventh draw's findings-mode top-3 rose to 0.87 (a sciatica
# told with thigh pain only moved from ninth to third) and its target is reached; the eighth draw's floor was lowered
# (1.0 -> 0.93): a myeloma told as pain and weakness down one side of the body moved from third to fourth, behind a
# myopathy that the doubled "not in both legs" had pushed down, with the myeloma at 1% either way.
# A twelfth draw of 20 exam items joined the same day (`exam_twelfth`: 5 emergency, 11 urgent, 4 routine), gathered
# and mapped blind; twelve of its golds are causes outside the knowledge base. Its floors are its figures on arrival
# (findings mode: top-3 0.25, under-triage 2 of 20, one emergency at the same day: a trapped femoral hernia told as six
# hours of groin pain and vomiting). With it the pooled findings-mode under-triage is 27 of 526 (0.0513) and the
# interview's 37 of 526 (0.0703): both pooled under-triage targets are lost, and so marked (docs/vignettes.md).
# Later that day severe pain in the tummy in pregnancy became an emergency (NICE NG126): the draw's kidney stone in
# early pregnancy, at self care before, is over-triaged instead, and the pooled findings-mode under-triage is 26 of 526
# (0.0494), within its target again; the interview's is unchanged (its interview had already ended at the same day).
# A thirteenth draw of 15 case reports joined the same day (`reports_thirteenth`: 7 emergency, 4 urgent, 4 routine), of
# people who came with back pain as the main complaint, gathered and mapped blind. Its floors are its figures on
# arrival (findings mode: top-3 0.47, under-triage 7 of 15, four of seven emergencies missed: two aortic aneurysms, a
# spinal infection told with fevers and a cervicothoracic abscess), and with it the pooled findings-mode under-triage
# is 33 of 541 (0.061): that target is lost again, and so marked (docs/vignettes.md).
# A fourteenth draw of 14 case reports joined on 7 December 2026 (`reports_fourteenth`: 5 emergency, 5 urgent,
# 4 routine), of people who came with weakness, numbness or pain of the legs, gathered and mapped blind. Its floors are
# its figures on arrival (findings mode: top-3 0.79, no under-triage, every emergency caught; the interview's top-3
# 0.43), and the pooled floors those of the twenty sets (findings-mode under-triage 33 of 555, 0.0595; the
# interview's 46).
# Later that day a condition could show in distinct forms, scored as their share-weighted sum (ADR 0023): a spinal
# infection pressing on the cord or not, acute limb ischaemia in one leg or both. The pooled findings-mode top-3 rose
# (0.733 -> 0.741; floor 0.73 -> 0.74) with no triage change in any mode.
# A fifteenth draw of 15 case reports joined the same day (`reports_fifteenth`: 6 emergency, 4 urgent, 4 routine,
# 1 self care), of people who came with back, neck or buttock pain and a possible warning sign, gathered and mapped
# blind. Its floors are its figures on arrival (findings mode: top-3 0.47, under-triage 2 of 15, every emergency
# caught; the interview's top-3 0.27, under-triage 3 of 15), and the pooled floors those of the twenty-one sets
# (findings-mode top-3 0.733, under-triage 35 of 570, 0.061; the interview's top-3 0.530, under-triage 49, 0.086).
# A sixteenth draw of 10 case reports joined the same day (`reports_sixteenth`: 4 emergency, 3 urgent, 2 routine,
# 1 self care), of people who came with hip, groin, buttock or thigh pain or a limp, gathered and mapped blind. Its
# floors are its figures on arrival (findings mode: top-3 0.60, under-triage 2 of 10, two of four emergencies missed:
# a hip fracture hidden on the first X-ray after a fall from a bicycle, told without the fall's force, and a psoas
# abscess from a swallowed fish bone, told without fever), and the pooled floors those of the twenty-two sets
# (findings-mode top-3 0.731, under-triage 37 of 580, 0.064, emergency sensitivity 0.911; the interview's top-3
# 0.529, under-triage 51, 0.088, emergency sensitivity 0.878).
# Later that day a shaking chill became a kind of fever (a share of it, as a measured 38 °C is): a febrile infection
# that gives no figure of its own for rigors shivers as often as its fever times the share of febrile adults who have
# shaking chills (Tokuda 2005, 12.4%), instead of at the rate of back pain in general (0.5%). Before, a chill counted
# fifty times over for the three joint and prostate infections that give it against every other infection. A
# discitis told with fever, chills and severe back pain (er-1204), which had reached the emergency level only because
# a hip-joint infection took 18% on that chill, is now an urgent spinal or kidney infection, as the evidence summary
# grades fever with back pain: the thirteenth draw's floors and the pooled findings-mode ones are lowered to that
# (emergency sensitivity 3 -> 2 of 7; pooled under-triage 38 of 580, 0.066, emergency sensitivity 0.906), while the
# infection moves from sixth to fourth, a psoas abscess from the clinician's text from 20th to 3rd, and the third
# exam set reaches a top-3 of 0.88 (docs/vignettes.md, twenty-eighth round).
# Later that day a known ankylosing spondylitis became a finding, with a rule: neck or back pain after a fall or knock,
# even a small one, in a spine it has stiffened is an emergency (Westerveld 2009; NICE NG41). The reader no longer
# takes "long-standing" before another illness for the time of the pain. A seventeenth draw of 15 case reports joined
# (`reports_seventeenth`: 5 emergency, 5 urgent, 4 routine, 1 self care), of people aged 60 or over with back or leg
# pain, leg weakness or numbness, or difficulty walking, gathered and mapped blind. Its floors are its figures on
# arrival (findings mode: top-3 0.73, under-triage 1 of 15, every emergency caught; the interview's top-3 0.60,
# under-triage 2 of 15, an aneurysm told as loin-to-groin pain at the same day), and the pooled floors those of the
# twenty-three sets (findings-mode top-3 0.733, under-triage 39 of 595, 0.066; the interview's top-3 0.533,
# under-triage 53, 0.089). Its interviews are long (median 15 questions), and with them the pooled interview's median
# is 13: 297 of 595 interviews end within 12 questions, one short of half, so that target is marked as not reached.
# Then a broken, wedged or collapsed vertebra on imaging became a finding a clinician can enter, and all 630
# narratives were read for it and for a known ankylosing spondylitis, blind, by two annotators (7 and 1 true, 25 false;
# data/vignettes/external/README.md). The draw's myeloma first treated as an osteoporotic fracture now ranks first
# and reaches the same day: its findings-mode under-triage is 0 of 15, and the pooled one 38 of 595 (0.064).
# On 7 December 2026 two more draws of 15 case reports joined, gathered and mapped blind: adults of 18 to 59
# (`reports_eighteenth`: 5 emergency, 4 urgent, 4 routine, 2 self care) and children of 2 to 15
# (`reports_nineteenth`, the same mix). The eighteenth arrived far below the pool (findings-mode top-3 0.27,
# under-triage 4 of 15: a pulmonary embolism told as back pain with a cough and blood in the sputum, which the
# catalogue cannot express; a fatigue fracture of the sacrum after childbirth, which no condition holds; a spinal
# tuberculosis and a spondylolysis sent one level too low). The nineteenth's only under-triage in findings mode is an
# afebrile septic hip at 3%, which Kocher's criteria would also put low. A spinal infection then took evidence for
# how long it lasts before it is found (tuberculosis, an eighth of them, a median of 5 months, Ijdema 2015) and for
# not improving after a month, and a child whose walking has newly become unsteady is seen the same day (RCH
# Melbourne ataxia guideline). Floors are the figures after those changes: the draws' own, and the pooled ones of the
# twenty-five sets (findings mode: top-3 0.718, under-triage 43 of 625, 0.069, emergency sensitivity 0.903; the
# interview's top-3 0.522, under-triage 56, 0.090). 313 of the 625 interviews end within 12 questions, so the
# pooled median is 12 again (docs/vignettes.md, twenty-ninth round). The held-out exam set's interview top-3 floor was
# lowered with it (0.45 -> 0.40): a Friedreich ataxia in a boy of 11 now raises the level to the same day when the
# unsteady walking is told, so the interview spends its questions on the rule and on how long it has lasted, and ends
# at the GP level as before but without asking whether the walking is getting worse, the answer that had put the
# ataxia second; it ranks twelfth.
# Then the interview came to ask what tests a person has already had were found to show (ADR 0024: a checklist of
# results with no "none of these", weighed by the chance of having been told one). The seventeenth draw's myeloma told
# with broken vertebrae on imaging now reaches the same day (its interview under-triage 1 of 15, the target), an
# aneurysm told with eroded vertebrae on imaging the emergency level; the pooled interview floors are the new figures
# (top-3 0.525, under-triage 54 of 625, 0.086, emergency sensitivity 0.882; median still 12, 313 of 625).
# Then coughing up blood became a finding (thirtieth round), with two rules from the NHS advice: blood coughed up is
# seen the same day, and with breathlessness, a racing heart or pain in the chest or upper back it is an emergency,
# since it can be a clot in the lung. All 660 narratives were read for it blind (2 true). The eighteenth draw's
# embolism told as back pain with blood in the sputum now reaches the emergency level in both modes (its findings-mode
# under-triage 3 of 15, every emergency caught). The pooled floors are the new figures (findings mode: under-triage 42
# of 625, 0.067, emergency sensitivity 0.908; the interview's under-triage 53, 0.085, emergency sensitivity 0.887,
# median 12 with 315 of 625 within 12). A clot in the lung as a condition of its own was measured and left out
# (docs/vignettes.md, thirtieth round).
# Last in that round a twentieth draw of 14 case reports joined, gathered and mapped blind: adults whose main complaint
# at a first contact is weakness, numbness or difficulty walking in the legs (`reports_twentieth`: 5 emergency, 5
# urgent, 3 routine, 1 self care). Its floors are its figures on arrival (findings mode: top-3 0.57, no under-triage,
# every emergency caught; the interview's top-3 0.50, no under-triage, median 5 questions), and the pooled floors those
# of the twenty-six sets (findings mode: top-3 0.715, under-triage 42 of 639, 0.066, emergency sensitivity 0.910; the
# interview's top-3 0.524, under-triage 53, 0.083, emergency sensitivity 0.890, median 12 with 325 of 639 within 12).
# The thirty-first round brought a twenty-first draw of 15 case reports, gathered and mapped blind: adults whose main
# complaint at a first contact is pain in the middle or upper back (`reports_twentyfirst`: 5 emergency, 4 urgent, 4
# routine, 2 self care). On arrival the knowledge base had no cause for ordinary mid-back pain, and such pain went to
# the emergency level; non-specific mid or upper back pain became a condition (Murtagh's thoracic back pain chapter,
# Briggs 2009). The draw's floors are its figures after that (findings mode: top-3 0.33, under-triage 2 of 15, 3 of 5
# emergencies caught; the interview's top-3 0.27, under-triage 3 of 15, its median 8 -> 15 questions, the target lost
# as the mid-back cases are asked on rather than sent to the emergency level), and the pooled floors those of the
# twenty-seven sets (findings mode: top-3 0.706, under-triage 44 of 654, 0.067, emergency sensitivity 0.902; the
# interview's top-3 0.517, under-triage 56, 0.086, emergency sensitivity 0.883, median 12 with 328 of 654 within 12).
# The new condition moved a few interviews that run to the twentieth question, whose last question changed: a myeloma
# of the fourth draw and one of the `_more` file now reach the same day (the fourth draw's interview under-triage is
# 0 of 9), while a myeloma of the seventeenth draw and a kidney stone of the first report file end a level too low
# (the seventeenth draw's interview floors are 0.60 and 2 of 15), and the held-out seventh draw's interview top-3 fell
# by one case (a myeloma from third to fourth, 0.53). The eighteenth draw's interview median fell to 12.
# Last in that round a twenty-second draw of 15 case reports joined, gathered and mapped blind: adults whose main
# complaint at a first contact is pain spreading down one or both legs (`reports_twentysecond`: 5 emergency, 4 urgent,
# 4 routine, 2 self care). Its floors are its figures on arrival (findings mode: top-3 0.47, under-triage 2 of 15, 4 of
# 5 emergencies caught; the interview's top-3 0.33, under-triage 3 of 15, median 18 questions), and the pooled floors
# those of the twenty-eight sets (findings mode: top-3 0.701, under-triage 46 of 669, 0.069, emergency sensitivity
# 0.900; the interview's top-3 0.513, under-triage 59, 0.088, emergency sensitivity 0.876). Its interviews are long:
# most of its maps are sparse, so the simulated person answers "don't know" to most questions, and 9 of 15 run past 12
# questions. With them the pooled interview's median is 13 questions (334 of 669 within 12, one short of half), and
# that target, reached since the twenty-ninth round on a margin of a case or two, was not reached with it.
# Then a twenty-third draw of 15 case reports joined, gathered and mapped blind: adults with back or leg pain or weak
# or numb legs who already carry a known risk (a cancer, weak immunity, injected drugs, a blood thinner, a spinal
# procedure, osteoporosis; `reports_twentythird`: 5 emergency, 4 urgent, 4 routine, 2 self care). It arrived with
# every emergency caught and no under-triage in both modes (interview median 6 questions); its floors are those
# figures. Pooled over the twenty-nine sets: findings mode top-3 0.694, under-triage 46 of 684, 0.067, emergency
# sensitivity 0.902; the interview's top-3 0.509, under-triage 59, 0.086, emergency sensitivity 0.879, and its median
# is 12 questions again (344 of 684 within 12): the target is marked reached, on a margin of two interviews.
# Then a twenty-fourth draw of 15 case reports joined, gathered and mapped blind: adults with back, buttock, hip or leg
# pain, or weak or numb legs, whose cause lay outside the spine (the aorta, the iliopsoas muscle, a kidney stone,
# shingles, a muscle infarct, the gallbladder, the pelvis, leg veins and arteries, a hip tendon; `reports_twentyfourth`:
# 5 emergency, 4 urgent, 4 routine, 2 self care). It arrived with findings-mode top-3 0.20, under-triage 2 of 15 and
# 3 of 5 emergencies caught: a bleed into the iliopsoas muscle on warfarin with a leg growing weaker over two weeks
# was read as the same day, and ruptured aortic ulcers told as two months of mid-back pain (`history_sufficient:
# false`) too. Its interviews catch every emergency, under-triage none, and stop at a median of 8 questions. Pooled
# over the thirty sets on arrival: findings mode top-3 0.684 (its causes outside the knowledge base lower the pool's,
# so that floor is 0.68), under-triage 48 of 699, 0.069, emergency sensitivity 0.895; the interview's top-3 0.502,
# under-triage 59, 0.084, emergency sensitivity 0.882, median 12 questions (352 of 699 within 12).
# In the thirty-second round a leg weakness that keeps getting worse or is severe, in someone on blood thinners, became
# an emergency (ISTH: a bleed in the spinal canal or behind the belly is a major bleed at a critical site), and the
# iliopsoas bleed reached it: the draw's findings-mode under-triage 1 of 15, emergency sensitivity 4 of 5; pooled
# under-triage 47 of 699, 0.067, emergency sensitivity 0.900. Nothing else moved in any mode.
# Last in that round a twenty-fifth draw of 15 case reports joined, gathered and mapped blind: people of 14 or over who
# play sport or train, with back, buttock, hip or leg pain or weak or numb legs brought on by it
# (`reports_twentyfifth`: 5 emergency, 4 urgent, 4 routine, 2 self care). It arrived with findings-mode top-3 0.33,
# under-triage 1 of 15 and 4 of 5 emergencies caught: the miss is two transverse process fractures from a knee in the
# back in a footballer who finished the match, an emergency by the fixed rule for a traumatic spinal fracture though
# the gatherer notes such fractures are stable, read as self care. Its interviews: under-triage 2 of 15, 4 of 5
# emergencies, median 17 questions (sparse maps again). Pooled over the thirty-one sets: findings mode top-3 0.676,
# under-triage 48 of 714, 0.067, emergency sensitivity 0.898 (floors 0.67 and 0.89); the interview's top-3 0.499
# (floor 0.49), under-triage 61, 0.085, emergency sensitivity 0.880, and its median 12.5 questions: 357 of 714
# interviews end within 12, exactly half, so the median target, marked reached since the thirty-first round on a
# margin of two interviews, is not reached with this draw.
# Then a twenty-sixth draw of 15 case reports joined, gathered and mapped blind: women pregnant or within six months
# of a birth, with back, pelvic girdle, buttock, hip or leg pain or weak or numb legs (`reports_twentysixth`: 5
# emergency, 4 urgent, 4 routine, 2 self care). It arrived with findings-mode top-3 0.53, under-triage 3 of 15 and 3 of
# 5 emergencies caught (an aortic dissection at 38 weeks told as leg and mild back pain, `history_sufficient: false`,
# and a pyelonephritis with bacteria in the blood at 36 weeks, mapped with a racing pulse but no fever, at the same
# day), and nerve palsies after a labour epidural or spinal at the emergency level (the rules on a new deficit after a
# spinal procedure). Its interviews: under-triage 2 of 15, 4 of 5 emergencies, median 8 questions. Pooled over the
# thirty-two sets on arrival: findings mode top-3 0.674, under-triage 51 of 729, 0.070 (floor 0.07), emergency
# sensitivity 0.891; the interview's top-3 0.492, under-triage 63, 0.086, emergency sensitivity 0.878, and its median
# 12 questions again (366 of 729 within 12): the target is marked reached, on a margin of one or two interviews.
# Later in the round numbness of one leg after a spinal procedure was left to the procedure's own rule, which asks for
# weakness, numbness of both legs or the saddle, or a bladder change (OAA/RCoA 2020): a meralgia after a caesarean
# under a spinal and a chronic radiculopathy after an epidural injection, both routine, were emergencies and are now
# routine in every mode. Their interviews no longer end at the emergency message in 5 and 7 questions but ask on to
# 19 and 20, so the pooled median is 13 (364 of 729 within 12) and the target is not reached again.

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (EXTERNAL / "exam.jsonl").exists(), reason="the external cases are not here"),
]


@pytest.fixture(scope="module")
def reports(model: CompiledModel) -> dict[tuple[str, str], evaluation.EvalReport]:
    """Each set's report in each mode, and all the sets but the held-out draw pooled as one ("all")."""
    scored: dict[tuple[str, str], evaluation.EvalReport] = {}
    for mode in ("findings", "interview"):
        for name in (*SETS, *HELD_OUT):
            vignettes = evaluation.read_vignettes(EXTERNAL / f"{name}.jsonl")
            scored[name, mode] = evaluation.evaluate_vignettes(model, vignettes, mode)
        pooled = [row for name in SETS for row in scored[name, mode].rows]
        scored["all", mode] = evaluation.summarise(model, mode, pooled)
    return scored


FLOORS = {"findings": FINDINGS_FLOOR, "interview": INTERVIEW_FLOOR}
# (mode, measure, at least or at most, target)
TARGETS = [
    ("findings", "emergency_sensitivity", ">=", 1.0),
    ("findings", "under_triage", "<=", 0.05),
    ("findings", "top1", ">=", 0.70),
    ("findings", "top3", ">=", 0.85),
    ("interview", "emergency_sensitivity", ">=", 1.0),
    ("interview", "under_triage", "<=", 0.07),
    ("interview", "questions_median", "<=", 12),
]


@pytest.mark.parametrize("mode", ["findings", "interview"])
@pytest.mark.parametrize("name", (*SETS, "all", *HELD_OUT))
def test_no_figure_falls_below_what_was_reached(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str, mode: str
) -> None:
    report = reports[name, mode]
    top3, under, sensitivity = FLOORS[mode][name]
    assert report.top3 >= top3
    assert report.under_triage <= under
    assert (report.emergency_sensitivity or 0.0) >= sensitivity


# Targets already reached on a set: asserted plainly, so that losing one fails.
REACHED = {
    ("exam", "findings", "under_triage"),
    ("exam", "interview", "under_triage"),
    ("exam", "interview", "questions_median"),
    ("exam_more", "interview", "questions_median"),
    ("reports", "findings", "emergency_sensitivity"),
    ("reports", "findings", "under_triage"),
    ("reports", "findings", "top1"),
    ("reports", "findings", "top3"),
    ("reports", "interview", "under_triage"),
    ("reports", "interview", "emergency_sensitivity"),
    ("reports_more", "findings", "under_triage"),
    ("reports_more", "interview", "under_triage"),
    ("reports_more", "interview", "questions_median"),
    ("exam_third", "findings", "emergency_sensitivity"),
    ("exam_third", "findings", "top3"),
    ("exam_third", "findings", "under_triage"),
    ("exam_third", "interview", "emergency_sensitivity"),
    ("exam_third", "interview", "under_triage"),
    ("exam_fourth", "findings", "top3"),
    ("exam_fourth", "interview", "under_triage"),
    ("exam_fourth", "findings", "emergency_sensitivity"),
    ("exam_fourth", "findings", "under_triage"),
    ("exam_fourth", "interview", "questions_median"),
    ("reports_third", "findings", "under_triage"),
    ("reports_third", "interview", "emergency_sensitivity"),
    ("reports_third", "interview", "under_triage"),
    ("reports_third", "interview", "questions_median"),
    ("reports_fourth", "findings", "emergency_sensitivity"),
    ("reports_fourth", "interview", "emergency_sensitivity"),
    ("reports_fourth", "interview", "questions_median"),
    ("exam_sixth", "findings", "under_triage"),
    ("exam_sixth", "findings", "emergency_sensitivity"),
    ("exam_eighth", "findings", "emergency_sensitivity"),
    ("exam_eighth", "findings", "under_triage"),
    ("exam_sixth", "interview", "emergency_sensitivity"),
    ("reports_sixth", "findings", "emergency_sensitivity"),
    ("reports_sixth", "findings", "under_triage"),
    ("reports_sixth", "interview", "emergency_sensitivity"),
    ("reports_sixth", "interview", "under_triage"),
    ("reports_eighth", "findings", "emergency_sensitivity"),
    ("reports_eighth", "findings", "under_triage"),
    ("reports_eighth", "findings", "top1"),
    ("reports_eighth", "findings", "top3"),
    ("reports_eighth", "interview", "emergency_sensitivity"),
    ("reports_eighth", "interview", "under_triage"),
    ("reports_eighth", "interview", "questions_median"),
    ("reports_ninth", "interview", "questions_median"),
    ("reports_tenth", "interview", "questions_median"),
    ("reports_eleventh", "findings", "emergency_sensitivity"),
    ("reports_eleventh", "findings", "top3"),
    ("exam_twelfth", "findings", "under_triage"),
    ("reports_fourteenth", "findings", "emergency_sensitivity"),
    ("reports_fourteenth", "findings", "under_triage"),
    ("reports_fourteenth", "interview", "emergency_sensitivity"),
    ("reports_fourteenth", "interview", "under_triage"),
    ("reports_fourteenth", "interview", "questions_median"),
    ("reports_fifteenth", "findings", "emergency_sensitivity"),
    ("reports_fifteenth", "interview", "emergency_sensitivity"),
    ("reports_fifteenth", "interview", "questions_median"),
    ("reports_eleventh", "interview", "emergency_sensitivity"),
    ("reports_eleventh", "interview", "under_triage"),
    ("reports_ninth", "interview", "under_triage"),
    ("exam_seventh", "interview", "questions_median"),
    ("exam_seventh", "interview", "under_triage"),
    ("exam_seventh", "findings", "emergency_sensitivity"),
    ("exam_seventh", "findings", "under_triage"),
    ("exam_seventh", "interview", "emergency_sensitivity"),
    ("reports_seventh", "findings", "emergency_sensitivity"),
    ("reports_seventh", "findings", "under_triage"),
    ("reports_seventh", "interview", "emergency_sensitivity"),
    ("reports_seventh", "interview", "under_triage"),
    ("reports_seventh", "interview", "questions_median"),
    ("reports_seventeenth", "findings", "emergency_sensitivity"),
    ("reports_seventeenth", "findings", "under_triage"),
    ("reports_nineteenth", "interview", "emergency_sensitivity"),
    ("reports_nineteenth", "interview", "under_triage"),
    ("reports_nineteenth", "interview", "questions_median"),
    ("reports_eighteenth", "findings", "emergency_sensitivity"),
    ("reports_eighteenth", "interview", "emergency_sensitivity"),
    ("reports_eighteenth", "interview", "questions_median"),
    ("reports_fourth", "interview", "under_triage"),
    ("reports_twentieth", "findings", "emergency_sensitivity"),
    ("reports_twentieth", "findings", "under_triage"),
    ("reports_twentieth", "interview", "emergency_sensitivity"),
    ("reports_twentieth", "interview", "under_triage"),
    ("reports_twentieth", "interview", "questions_median"),
    ("reports_twentythird", "findings", "emergency_sensitivity"),
    ("reports_twentythird", "findings", "under_triage"),
    ("reports_twentythird", "interview", "emergency_sensitivity"),
    ("reports_twentythird", "interview", "under_triage"),
    ("reports_twentythird", "interview", "questions_median"),
    ("reports_twentyfourth", "interview", "emergency_sensitivity"),
    ("reports_twentyfourth", "interview", "under_triage"),
    ("reports_twentyfourth", "interview", "questions_median"),
    ("reports_twentysixth", "interview", "questions_median"),
}


@pytest.mark.parametrize(("name", "mode", "measure", "direction", "target"), [
    pytest.param(name, mode, measure, direction, target,
                 marks=() if (name, mode, measure) in REACHED else (NOT_YET,), id=f"{name}-{mode}-{measure}")
    for name in (*SETS, "all", *HELD_OUT) for mode, measure, direction, target in TARGETS
])
def test_the_target_is_reached(
    reports: dict[tuple[str, str], evaluation.EvalReport], name: str, mode: str, measure: str, direction: str,
    target: float,
) -> None:
    value = getattr(reports[name, mode], measure)
    assert value is not None, f"{measure} was not measured"
    assert value >= target if direction == ">=" else value <= target

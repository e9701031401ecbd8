"""The mobilizing checklist, for many initiatives in a fixed number of queries."""

import datetime as dt

import pytest

from initiatives import registry
from mobilizing.checklist import mobilizing_checklist
from tests.factories import InitiativeFactory
from tests.mobilizing.factories import PulseSurveyFactory, StakeholderFactory, WaveFactory

pytestmark = pytest.mark.django_db
DONE = {"actual_start": dt.date(2025, 1, 1), "actual_end": dt.date(2025, 2, 1)}


def labels_done(items):
    return {item.label: item.done for item in items}


def test_an_empty_initiative_has_everything_to_do(initiative):
    items = mobilizing_checklist([initiative])[initiative.pk]
    assert labels_done(items) == {
        "Stakeholders mapped": False,
        "At least one pulse survey closed": False,
        "Pilot wave done": False,
        "Next wave started": False,
    }
    assert all(item.hint for item in items)


def test_a_mobilized_initiative_ticks_every_item(initiative):
    StakeholderFactory(initiative=initiative)
    PulseSurveyFactory(initiative=initiative, status="closed")
    WaveFactory(initiative=initiative, order=1, status="done", **DONE)
    WaveFactory(initiative=initiative, order=2, status="running")
    assert all(labels_done(mobilizing_checklist([initiative])[initiative.pk]).values())


def test_an_open_survey_and_a_running_pilot_do_not_count(initiative):
    PulseSurveyFactory(initiative=initiative, status="open")
    WaveFactory(initiative=initiative, order=1, status="running")
    WaveFactory(initiative=initiative, order=2, status="planned")
    done = labels_done(mobilizing_checklist([initiative])[initiative.pk])
    assert not done["At least one pulse survey closed"]
    assert not done["Pilot wave done"] and not done["Next wave started"]


@pytest.mark.parametrize("n", [2, 10])
def test_many_initiatives_in_three_queries(n, django_assert_num_queries):
    initiatives = [InitiativeFactory() for _ in range(n)]
    for i in initiatives:
        StakeholderFactory(initiative=i)
        PulseSurveyFactory(initiative=i, status="closed")
        WaveFactory(initiative=i, order=1, status="done", **DONE)
    # stakeholder counts, closed survey counts, wave statuses
    with django_assert_num_queries(3):
        result = mobilizing_checklist(initiatives)
    assert len(result) == n


def test_registered_with_the_hub(initiative):
    process = registry.get("mobilizing")
    assert process.label == "Mobilizing" and process.url_name == "mobilizing:overview"
    progress = registry.progress_for([initiative])[initiative.pk]
    assert next(p for p in progress if p.stage == "mobilizing").registered

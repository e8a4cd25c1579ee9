"""Small-cohort suppression: no shown figure rests on fewer than k people or reveals one."""

from credplugin.outcomes.privacy import suppress

K = 10


def test_counts_and_spreads_need_k_people():
    shown = suppress(
        {
            "earners": {"n": 9, "value": 9},
            "days": {"n": 10, "median": 3.0, "p90": 9.0},
            "few_days": {"n": 2, "median": 3.0, "p90": 9.0},
        },
        K,
    )
    assert shown["earners"] == {"suppressed": True, "n": None}
    assert shown["days"] == {"n": 10, "median": 3.0, "p90": 9.0}
    assert shown["few_days"] == {"suppressed": True, "n": None}


def test_a_rate_is_withheld_when_either_side_is_a_small_group():
    shown = suppress(
        {
            "ok": {"n": 30, "count": 12, "value": 0.4},
            "one_revoked": {"n": 30, "count": 1, "value": 0.0333},
            "all_but_two": {"n": 30, "count": 28, "value": 0.9333},
            "none": {"n": 30, "count": 0, "value": 0.0},
        },
        K,
    )
    assert shown["ok"] == {"n": 30, "value": 0.4}  # the count is not repeated
    assert shown["one_revoked"]["suppressed"] and shown["all_but_two"]["suppressed"]
    assert shown["none"] == {"n": 30, "value": 0.0}


def test_survey_answers_everyone_gave_alike_are_withheld():
    answers = {
        "promotion_rate": {"n": 12, "count": 12, "value": 1.0},
        "job_change": {"n": 12, "counts": {"none": 12}},
    }
    shown = suppress(answers, K, unanimous=False)
    assert shown["promotion_rate"]["suppressed"] and shown["job_change"]["suppressed"]
    assert suppress(answers, K)["promotion_rate"] == {"n": 12, "value": 1.0}


def test_small_cells_are_blanked_with_a_complement_so_none_can_be_recovered():
    shown = suppress({"levels": {"n": 40, "counts": {"a": 3, "b": 12, "c": 25}}}, K)
    assert shown["levels"]["counts"] == {"a": None, "b": None, "c": 25}
    two_small = suppress({"levels": {"n": 40, "counts": {"a": 3, "b": 4, "c": 33}}}, K)
    assert two_small["levels"]["counts"] == {"a": None, "b": None, "c": 33}
    fine = suppress({"levels": {"n": 40, "counts": {"a": 0, "b": 15, "c": 25}}}, K)
    assert fine["levels"]["counts"] == {"a": 0, "b": 15, "c": 25}


def test_nested_figures_are_suppressed_one_by_one():
    shown = suppress(
        {
            "criterion_levels": {
                "design": {"n": 4, "counts": {"x": 4}},
                "ethics": {"n": 20, "counts": {"x": 10, "y": 10}},
            }
        },
        K,
    )
    assert shown["criterion_levels"]["design"]["suppressed"]
    assert shown["criterion_levels"]["ethics"]["counts"] == {"x": 10, "y": 10}

"""The arithmetic of peer review, free of Django: ranks, the median, calibration distance.

Levels are ranked by their points (lowest first), ties by their order in the rubric.
"""


def ranked_levels(criterion):
    """The criterion's level ids, lowest-scoring first."""
    order = sorted(
        enumerate(criterion["levels"]), key=lambda item: (float(item[1]["points"]), item[0])
    )
    return [level["id"] for _, level in order]


def median_level(criterion, level_ids):
    """The median of the levels reviewers chose for one criterion.

    With an even number of reviews the LOWER of the two middle levels counts: the result is
    always a level some reviewer gave, and a split panel never lifts a learner above what half
    of it saw. Returns None when nobody judged the criterion.
    """
    ranks = ranked_levels(criterion)
    chosen = sorted(ranks.index(level_id) for level_id in level_ids if level_id in ranks)
    if not chosen:
        return None
    return ranks[chosen[(len(chosen) - 1) // 2]]


def median_levels(rubric, reviews):
    """``{criterion id: median level id}`` over ``reviews`` (each ``{criterion id: level id}``)."""
    medians = {}
    for criterion in rubric["criteria"]:
        level = median_level(criterion, [review.get(criterion["id"]) for review in reviews])
        if level is not None:
            medians[criterion["id"]] = level
    return medians


def close_enough(rubric, staff_levels, learner_levels):
    """Whether a learner judged a calibration example closely enough to the staff's levels.

    Close enough means: on every criterion the learner's level is at most ONE level away from
    the staff's (by rank), and on at least half the criteria (rounded up) it is the staff's
    exact level. A learner who is one step off everywhere has not calibrated; one who agrees
    mostly and is off by one on a few criteria has.
    """
    criteria = rubric["criteria"]
    exact = 0
    for criterion in criteria:
        ranks = ranked_levels(criterion)
        staff, learner = staff_levels.get(criterion["id"]), learner_levels.get(criterion["id"])
        if staff not in ranks or learner not in ranks:
            return False
        distance = abs(ranks.index(staff) - ranks.index(learner))
        if distance > 1:
            return False
        exact += distance == 0
    return exact * 2 >= len(criteria)


def complete_levels(rubric, levels):
    """Whether ``levels`` names a level of the rubric for every criterion and nothing else."""
    if not isinstance(levels, dict):
        return False
    criteria = {criterion["id"]: criterion for criterion in rubric["criteria"]}
    return set(levels) == set(criteria) and all(
        levels[key] in ranked_levels(criterion) for key, criterion in criteria.items()
    )

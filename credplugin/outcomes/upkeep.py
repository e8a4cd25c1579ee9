"""The outcomes' periodic upkeep in one pass, for the beat task and for ``credplugin_outcomes``
(cron, since Tutor runs no Celery beat)."""

from credplugin.outcomes import counters, rollups, statements


def run():
    """Store the counts the cache holds, roll up the dashboard's changed days, then keep the
    published quarters that became final (they read those days); returns how many counter
    rows, days and quarter sections were written, in that order. Safe to run several at once."""
    return counters.flush(), rollups.refresh(), statements.keep_final_quarters()

"""Outcomes: follow-up surveys, figures per badge class, and signed outcome statements."""

"""Badges that stack: pathway rules and their badges' credentials, and the learner's whole
record as a signed CLR 2.0 credential.
"""

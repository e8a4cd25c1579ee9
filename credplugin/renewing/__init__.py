"""Badges that stay current: each badge class's renewal policy, the decision to renew, the
signing of the new version and the reminders before a badge expires.
"""

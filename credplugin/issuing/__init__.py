"""The issuing pipeline: intake takes in events and queues tasks, evaluation decides,
composition builds the credential, issuance signs and stores it; claims, sweeper and
backfill keep it going, lifecycle revokes, suspends and reinstates, announcements tell
the platform.

Celery task paths stay in ``credplugin.tasks``: operators route them.
"""

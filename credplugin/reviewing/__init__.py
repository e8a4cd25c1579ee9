"""Peer review of assessment-block submissions: the pool, leases, calibration and results.

The assessment XBlock reaches this package only through ``credplugin.api`` (the ``peer_*``
functions). ``rules`` is the pure arithmetic (median, calibration distance); ``pool`` hands out
work under row locks; ``results`` reads what peers said about one submission. See
docs/decisions/0022-peer-review.md.
"""

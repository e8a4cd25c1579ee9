"""What people see of a badge, free of HTTP: its description, state and artwork, and the
verdict on a badge submitted for verification. Views, admin and serializers use it.
"""

"""Open Badges 3.0 credentials, signed with eddsa-rdfc-2022, in pure Python (no Django)."""

"""Badges that leave the site: into a wallet over a VC-API exchange, and to Open Badges 3.0
API clients.
"""

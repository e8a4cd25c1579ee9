"""The issuer: its identity (profile, did:web document), its signing keys and its status
lists.
"""

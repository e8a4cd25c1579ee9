"""credplugin's URLs, mounted at the site root by the platform's plugin loader.

Public pages live under ``credplugin/``; the issuer's DID document must sit at
``/.well-known/did.json`` because ``did:web`` resolution requires that path.
"""

app_name = "credplugin"
urlpatterns = []

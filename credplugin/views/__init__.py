"""credplugin's web pages and endpoints: public badge pages, issuer documents, verification,
and the learner's badge list with its REST API."""

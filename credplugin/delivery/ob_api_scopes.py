"""The Open Badges 3.0 API's OAuth scopes, importable while settings load (no models)."""

from django.utils.translation import gettext_lazy as _

SCOPE_CREDENTIAL_READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"
SCOPE_PROFILE_READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"
SCOPES = {
    SCOPE_CREDENTIAL_READ: _("Read your Open Badges credentials"),
    SCOPE_PROFILE_READ: _("Read your profile (name and e-mail address)"),
}

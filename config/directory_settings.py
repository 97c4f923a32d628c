"""Sign-in against the ward's directory (django-auth-ldap). Filled in by directory/."""

DIRECTORY_BACKENDS: list[str] = []

"""Distinguished names compared the way the directory compares them.

Imported by config/directory_settings.py, so nothing here touches Django's models, and
python-ldap is imported only when a name is normalised (the directory is on).
"""


def normalise_dn(dn: str) -> str:
    """One spelling per name: lower case, no blanks after the commas, the escapes LDAP
    would write ("CN=CSW-North, OU=Groups,DC=ward" and "cn=csw-north,ou=groups,dc=ward"
    are the same group). Raises ValueError for a string that is not a DN."""
    import ldap
    import ldap.dn

    text = dn.strip()
    if not text:
        raise ValueError("an empty name")
    try:
        return str(ldap.dn.dn2str(ldap.dn.str2dn(text.lower())))
    except ldap.DECODING_ERROR:
        raise ValueError(f"not a distinguished name: {dn!r}") from None

"""Which accounts come from the ward's directory."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryAccount(models.Model):
    """A user who signs in through the directory: their agency and role follow the
    directory's groups, and they have no local password. Accounts without one are local
    (the embedded default, the ward IT's emergency accounts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="directory_account",
    )
    dn = models.CharField(_("ディレクトリ上の識別名"), max_length=1000)
    # The entry's TSUNAGU_LDAP_ID_ATTR (directory/identity.py): another entry under the same
    # user name is another person. Empty for an account made before it was kept: filled at
    # its next sign-in or synchronisation.
    directory_id = models.CharField(_("ディレクトリ上のID"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("初回サインイン"), auto_now_add=True)
    # The last time the directory confirmed the user (a sign-in or the synchronisation).
    last_seen_at = models.DateTimeField(_("ディレクトリでの最終確認"))
    # Set when the synchronisation switched the account off because the directory no longer
    # has the user (or no longer places them): a sign-in that the directory accepts again
    # switches it back on. An account an admin switched off (removed_at empty) stays off.
    removed_at = models.DateTimeField(_("ディレクトリから外れた日時"), null=True, blank=True)
    removed_reason = models.CharField(_("外れた理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ディレクトリのアカウント")
        verbose_name_plural = _("ディレクトリのアカウント")
        constraints = [
            models.UniqueConstraint(
                fields=["directory_id"],
                condition=~models.Q(directory_id=""),
                name="directory_account_one_per_entry",
            )
        ]

    def __str__(self) -> str:
        return self.dn

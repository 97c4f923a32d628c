"""The settings of the person's rights and the record's life (rights/, docs/rights.md):
the requests' deadlines and the retention periods. Read by config/settings.py; a value out
of range stops start-up with ImproperlyConfigured naming the variable."""

from config.env import env_int

__all__ = [
    "TSUNAGU_DISPOSAL_NOTICE_DAYS",
    "TSUNAGU_RETENTION_ACCESS_LOG_YEARS",
    "TSUNAGU_RETENTION_CASE_YEARS",
    "TSUNAGU_RETENTION_SECURITY_LOG_YEARS",
    "TSUNAGU_RIGHTS_DEADLINE_DAYS",
    "TSUNAGU_RIGHTS_EXTENSION_DAYS",
    "TSUNAGU_RIGHTS_REMIND_DAYS",
]

# 開示・訂正・利用停止の請求 (rights/): the decision is due this many days after the day a
# request is received (30 under the Act), may be extended once by at most the second number
# of days, and the bell reminds the agency's supervisors and the registering worker the third
# number of days before the deadline (and on the day).
TSUNAGU_RIGHTS_DEADLINE_DAYS = env_int("TSUNAGU_RIGHTS_DEADLINE_DAYS", 30, minimum=1, maximum=365)
TSUNAGU_RIGHTS_EXTENSION_DAYS = env_int("TSUNAGU_RIGHTS_EXTENSION_DAYS", 30, minimum=1, maximum=365)
TSUNAGU_RIGHTS_REMIND_DAYS = env_int("TSUNAGU_RIGHTS_REMIND_DAYS", 7, minimum=0, maximum=60)

# Retention and disposal (rights/disposal.py, docs/rights.md): a closed case's record is
# made anonymous this many years after its closure; the access log and the security log
# are deleted after their own periods; a record goes only once it has been due for the
# notice days, listed for the agency's supervisors meanwhile.
TSUNAGU_RETENTION_CASE_YEARS = env_int("TSUNAGU_RETENTION_CASE_YEARS", 5, minimum=1, maximum=100)
TSUNAGU_RETENTION_ACCESS_LOG_YEARS = env_int(
    "TSUNAGU_RETENTION_ACCESS_LOG_YEARS", 5, minimum=1, maximum=100
)
TSUNAGU_RETENTION_SECURITY_LOG_YEARS = env_int(
    "TSUNAGU_RETENTION_SECURITY_LOG_YEARS", 3, minimum=1, maximum=100
)
TSUNAGU_DISPOSAL_NOTICE_DAYS = env_int("TSUNAGU_DISPOSAL_NOTICE_DAYS", 30, minimum=0, maximum=365)

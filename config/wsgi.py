import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A web process starting with changed security settings says so in the security log.
from security.settings_watch import check_at_start  # noqa: E402

check_at_start()

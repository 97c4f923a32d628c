"""`manage.py seed_outreach`: the outreach demo (outreach/demo), built through the services."""

from outreach.demo.build import Command as Command

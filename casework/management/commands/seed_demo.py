"""`manage.py seed_demo`: the demo world (casework/demo), built through the services."""

from casework.demo.build import Command as Command

"""`in` on an integer column treats a value past the column's range as matching no row, as
Django's own exact, lt and gt lookups do. Without it SQLite raises OverflowError (a 500) for
an id past a 64-bit integer in a form or an admin action (`pk__in=[10**30]`)."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)

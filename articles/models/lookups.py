"""Integers the database cannot hold match nothing in an ``__in`` lookup, as Django already decides for exact and
comparison lookups. A number posted in a form (``2**70`` as a row's id in a list edited in place, or as the
value of an autocomplete field shown again with its error) otherwise reaches SQLite as an OverflowError."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)

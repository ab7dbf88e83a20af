"""Model validation that checks a model's CHECK constraints in one query.

Django's Model.validate_constraints() asks the database about each CheckConstraint apart: a query compiled with every
field of the instance as a value, and inside a transaction a savepoint around it (three statements). An event has
eight such checks (its date's columns, its kind, status and number): a third of the CPU of saving an edit went there.
Here they are asked together first; only when that fails is each asked again, so that the errors are Django's own,
constraint by constraint. Unique constraints are validated as Django validates them.
"""

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import BooleanField, CheckConstraint, Q
from django.db.models.functions import Coalesce


class ChecksInOneQuery(models.Model):
    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        others = []
        for model_class, constraints in self.get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            if checks and not self._checks_pass(model_class, checks, exclude, using):
                return super().validate_constraints(exclude=exclude)  # one failed: Django's errors, each check's
            others += [(model_class, c) for c in constraints if not isinstance(c, CheckConstraint)]
        errors = {}
        for model_class, constraint in others:  # as Model.validate_constraints does
            try:
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        return None

    def _checks_pass(self, model_class, checks, exclude, using) -> bool:
        """Whether every check holds for this instance, in one query (as CheckConstraint.validate asks each)."""
        conditions = []
        for check in checks:
            if exclude and check._expression_refs_exclude(model_class, check.condition, exclude):
                continue  # a check on a field left out of validation is left out, as Django leaves it
            condition = check.condition
            if connections[using].features.supports_comparing_boolean_expr:
                condition = Coalesce(condition, True, output_field=BooleanField())  # UNKNOWN passes a CHECK
            conditions.append(condition)
        if not conditions:
            return True
        against = self._get_field_expression_map(meta=model_class._meta, exclude=exclude)
        return Q(*conditions).check(against, using=using)

"""A faster `to_representation` for list pages, with exactly DRF's output.

DRF's Serializer.to_representation walks its fields through generic machinery for every row:
the `_readable_fields` generator, `Field.get_attribute` with its source-path loop and exception
handling, and a `PKOnlyObject` for every related id. A page of 100 deliverables spent about half
of its time there (bench/api.py, docs/PERFORMANCE.md). This mixin decides once per serializer
instance (a list page's rows share one child serializer) how each field is read:

- a plain field whose source is one attribute: `getattr`, then the field's own `to_representation`
  (for exactly CharField, IntegerField and ISO DateField, the conversion it would do: `str`,
  `int`, `isoformat`; for exactly BooleanField a bool and ChoiceField a string, what DRF answers for them);
- a primary-key related field: the foreign key's column (`project_id`), as DRF's pk-only
  optimisation returns it, without building a PKOnlyObject;
- a method field: the serializer's `get_<name>(instance)`, as DRF calls it;
- anything else (nested serializers, many-to-many, dotted sources, `source="*"`, fields with their
  own `get_attribute`): DRF's own path, unchanged.

The plan is kept on the serializer class when every instance would make the same one (see _shareable).
"""

from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.settings import api_settings

_PLAIN, _FOREIGN_KEY, _DRF, _METHOD = 0, 1, 2, 3


def _iso_date(value):
    if not value:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _converter(field):
    """What `field.to_representation` does to a value that is not None, without its checks."""
    kind = type(field)
    if kind is drf_fields.CharField or kind is drf_fields.IntegerField:
        return str if kind is drf_fields.CharField else int
    slow = field.to_representation
    if kind is drf_fields.BooleanField:
        # DRF answers a bool with itself; anything else ("yes", 0…) it maps, so that goes to DRF.
        return lambda value: value if value.__class__ is bool else slow(value)
    if kind is drf_fields.ChoiceField:
        # DRF looks a string up among the choices' strings (a TextChoices column is one); enums and others go to DRF.
        lookup = field.choice_strings_to_values.get
        return lambda value: lookup(value, value) if value.__class__ is str else slow(value)
    if kind is drf_fields.DateField:
        output_format = getattr(field, "format", api_settings.DATE_FORMAT)
        if isinstance(output_format, str) and output_format.lower() == ISO_8601:
            return _iso_date
    return field.to_representation


# Field types whose conversion reads only the field's own arguments, never the serializer or its context.
_CONTEXT_FREE = frozenset({drf_fields.CharField, drf_fields.IntegerField, drf_fields.BigIntegerField,
                           drf_fields.DateField, drf_fields.BooleanField, drf_fields.ChoiceField,
                           drf_fields.DecimalField})
_STOCK_GET_FIELDS = (serializers.ModelSerializer.get_fields, serializers.Serializer.get_fields)


def _shareable(serializer_class, plan: list[tuple]) -> bool:
    """Whether every instance of the class would make this plan: its fields are the class's (DRF's own
    get_fields), and each is a foreign-key column, a plain attribute with a context-free conversion or a
    method field (called on the instance at hand, with its own context)."""
    return serializer_class.get_fields in _STOCK_GET_FIELDS and all(
        kind in (_FOREIGN_KEY, _METHOD) or (kind == _PLAIN and type(field) in _CONTEXT_FREE)
        for kind, _name, _attr, field, _convert in plan)


class FastRepresentationMixin:
    def _read_plan(self) -> list[tuple]:
        plan = self.__dict__.get("_fast_read_plan")
        if plan is None:
            # Building a serializer's fields is a fixed cost of every request (a tenth of a list page of
            # deliverables); a plan that needs nothing of this instance is made once per class instead.
            cls = type(self)
            plan = cls.__dict__.get("_fast_shared_plan")
            if plan is None:
                model = getattr(getattr(self, "Meta", None), "model", None)
                plan = [self._plan_field(field, model) for field in self._readable_fields]
                if _shareable(cls, plan):
                    cls._fast_shared_plan = plan
            self._fast_read_plan = plan
        return plan

    @staticmethod
    def _plan_field(field, model) -> tuple:
        name = field.field_name
        if type(field) is serializers.SerializerMethodField:
            # DRF passes the whole object to the serializer's get_<name> method: so does the plan.
            return _METHOD, name, field.method_name, field, None
        attrs = field.source_attrs
        if len(attrs) != 1 or model is None:
            return _DRF, name, "", field, None
        attr = attrs[0]
        kind = type(field)
        if (isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None
                and kind.get_attribute is relations.RelatedField.get_attribute
                and kind.to_representation is relations.PrimaryKeyRelatedField.to_representation
                and field.use_pk_only_optimization()):
            try:
                model_field = model._meta.get_field(attr)
            except FieldDoesNotExist:
                return _DRF, name, "", field, None
            if model_field.concrete and (model_field.many_to_one or model_field.one_to_one):
                return _FOREIGN_KEY, name, model_field.attname, field, None
            return _DRF, name, "", field, None
        # DRF's get_attribute calls an attribute that is a method; leave those to it.
        if kind.get_attribute is drf_fields.Field.get_attribute and not callable(getattr(model, attr, None)):
            return _PLAIN, name, attr, field, _converter(field)
        return _DRF, name, "", field, None

    def to_representation(self, instance):
        if isinstance(instance, Mapping):  # validated data shown back: DRF reads keys, not attributes
            return super().to_representation(instance)
        ret = {}
        for kind, name, attr, field, convert in self._read_plan():
            if kind == _FOREIGN_KEY:
                ret[name] = getattr(instance, attr)
                continue
            if kind == _METHOD:
                ret[name] = getattr(self, attr)(instance)
                continue
            if kind == _PLAIN:
                try:
                    value = getattr(instance, attr)
                except AttributeError:
                    pass  # DRF's path below decides between a default, None and leaving the field out
                else:
                    ret[name] = None if value is None else convert(value)
                    continue
            try:
                attribute = field.get_attribute(instance)
            except drf_fields.SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


class ValuesRow:
    """One row of a list page read with .values() instead of as a model instance (building those was most of
    a list page's fetch): its columns as attributes. DRF reads a foreign key's id through
    Model.serializable_value, so a row answers that as the model would. Subclasses name `model`."""

    model = None

    def __init__(self, values: dict):
        self.__dict__.update(values)

    def serializable_value(self, field_name: str):
        return getattr(self, self.model._meta.get_field(field_name).attname)


def columns_shown(model, serializer_class) -> list[str]:
    """The table columns (as attnames, `project_id`) that a serializer shows: what a list reads with .values()."""
    return [f.attname for f in model._meta.concrete_fields if f.name in serializer_class.Meta.fields]

"""Form definitions: forms/<task>.json read, checked and turned into validators of a task's fields."""

from service.forms.checks import check_form_data
from service.forms.definition import Choice, FieldDefinition, FormDefinition, FormDefinitionError, RequiredIf
from service.forms.files import load_form, load_forms, parse_form, parse_forms, read_form_files

__all__ = ["Choice", "FieldDefinition", "FormDefinition", "FormDefinitionError", "RequiredIf", "check_form_data",
           "load_form", "load_forms", "parse_form", "parse_forms", "read_form_files"]

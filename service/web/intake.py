"""Turn the flat HTML forms of the complaint pages into the payloads of the JSON schemas."""

from collections.abc import Mapping

from marshmallow import ValidationError

from service.api.schemas import (
    ClientDetailsSchema,
    ComplaintCreateSchema,
    DelayNoticeCreateSchema,
    EscalationCreateSchema,
    ExtensionCreateSchema,
    HandlerReplaceSchema,
    NoteCreateSchema,
    RegistrationCorrectionSchema,
    SignalCreateSchema,
    WithdrawalCreateSchema,
    flatten,
)
from service.errors import InvalidInput

YES, NO = "ja", "nee"
UPLOAD_ACCEPT = ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg," \
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(form: Mapping, name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _put(target: dict, key: str, value) -> None:
    """Set key only when a value was given, so that the schema reports an empty field as required."""
    if value is not None:
        target[key] = value


def _yes_no(form: Mapping, name: str) -> bool | None:
    return {YES: True, NO: False}.get(form.get(name) or "")


def input_name(path: str) -> str:
    """Return the input name of an error path: "complainant.name" is the input complainant_name."""
    return path.replace(".", "_")


def _load(schema, payload: dict) -> dict:
    try:
        return schema.load(payload)
    except ValidationError as err:
        raise InvalidInput(errors={input_name(k): v for k, v in flatten(err.messages).items()}) from err


def _put_category(payload: dict, form: Mapping) -> None:
    """Put the chosen category id in the payload (a text that is no number stays text: the schema says so)."""
    category = _text(form, "category")
    if category is not None:
        payload["category"] = int(category) if category.isdigit() and len(category) <= 9 else category


def complaint_payload(form: Mapping) -> dict:
    """Return the validated registration payload from the intake form, or raise InvalidInput by input name."""
    complainant: dict = {"email": _text(form, "complainant_email"), "phone": _text(form, "complainant_phone")}
    _put(complainant, "name", _text(form, "complainant_name"))
    _put(complainant, "salutation", _text(form, "complainant_salutation"))
    _put(complainant, "surname", _text(form, "complainant_surname"))
    _put(complainant, "address", _text(form, "complainant_address"))
    client: dict = {"name": _text(form, "commissioning_client_name"),
                    "address": _text(form, "commissioning_client_address"),
                    "contact_person": _text(form, "commissioning_client_contact_person")}
    _put(client, "kind", _text(form, "commissioning_client_kind"))
    if client.get("kind") == "none":
        client.update(name=None, address=None, contact_person=None)
    payload: dict = {"complainant": complainant, "commissioning_client": client,
                     "official": form.get("official") == YES}
    for name in ("dated_on", "received_on", "channel", "description", "coach"):
        _put(payload, name, _text(form, name))
    _put(payload, "concerns_personal_data", _yes_no(form, "concerns_personal_data"))
    _put_category(payload, form)
    _put(payload, "intake_note", _text(form, "intake_note"))
    return _load(ComplaintCreateSchema(), payload)


def registration_correction_payload(form: Mapping) -> dict:
    """Return the validated correction of the registration from the file page's form (every field is posted,
    filled in with the current values: what did not change is left as it is by the domain)."""
    complainant = {"address": _text(form, "complainant_address"), "email": _text(form, "complainant_email"),
                   "phone": _text(form, "complainant_phone")}
    client: dict = {key: _text(form, f"commissioning_client_{key}") for key in ("name", "address", "contact_person")}
    _put(client, "kind", _text(form, "commissioning_client_kind"))
    payload: dict = {"complainant": complainant, "commissioning_client": client}
    _put(payload, "concerns_personal_data", _yes_no(form, "concerns_personal_data"))
    _put(payload, "reason", _text(form, "reason"))
    return _load(RegistrationCorrectionSchema(), payload)


def note_payload(form: Mapping) -> dict:
    """Return the validated note from the file page's form (its files come separately)."""
    return _fields(form, NoteCreateSchema(), "noted_on", "kind", "text")


def extension_payload(form: Mapping) -> dict:
    """Return the validated extension payload from the file page's form."""
    payload: dict = {"complainant_consent": form.get("complainant_consent") == YES}
    for name in ("reason", "new_due_on", "consent_given_on", "consent_channel"):
        _put(payload, name, _text(form, name))
    return _load(ExtensionCreateSchema(), payload)


def _fields(form: Mapping, schema, *names: str) -> dict:
    """Return the validated payload of a file-page form whose fields are plain texts with the schema's names."""
    payload: dict = {}
    for name in names:
        _put(payload, name, _text(form, name))
    return _load(schema, payload)


def escalation_payload(form: Mapping) -> dict:
    """Return the validated escalation payload from the file page's form."""
    payload: dict = {"complainant_consent_to_share": form.get("complainant_consent_to_share") == YES}
    for name in ("route", "reason"):
        _put(payload, name, _text(form, name))
    return _load(EscalationCreateSchema(), payload)


def client_details_payload(form: Mapping) -> dict:
    """Return the validated commissioning-client details from the file page's form (empty clears a value)."""
    return _load(ClientDetailsSchema(), {"address": _text(form, "address"),
                                         "contact_person": _text(form, "contact_person")})


def withdrawal_payload(form: Mapping) -> dict:
    """Return the validated withdrawal payload from the file page's form."""
    return _fields(form, WithdrawalCreateSchema(), "withdrawn_on", "channel", "reason")


def delay_notice_payload(form: Mapping) -> dict:
    """Return the validated delay-notice payload from the file page's form."""
    return _fields(form, DelayNoticeCreateSchema(), "reason", "expected_on")


def handler_payload(form: Mapping) -> dict:
    """Return the validated payload of another handler from the file page's form."""
    return _fields(form, HandlerReplaceSchema(), "handler_username", "handler_name", "handler_function", "reason")


def signal_payload(form: Mapping) -> dict:
    """Return the validated payload of a signal from its page's form."""
    payload: dict = {}
    for name in ("kind", "received_on", "description", "coach", "resolution"):
        _put(payload, name, _text(form, name))
    _put_category(payload, form)
    return _load(SignalCreateSchema(), payload)

"""marshmallow schemas: request shapes (with Dutch field messages) and response shapes. Shape only."""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from service import clock
from service.errors import BadRequest, InvalidInput
from service.models import NOTE_KINDS, OUTCOMES

REQUIRED = "Dit veld is verplicht."
MESSAGES = {
    "required": REQUIRED,
    "null": REQUIRED,
    "invalid": "Ongeldige waarde.",
    "unknown": "Onbekend veld.",
}
DATE_MESSAGES = {**MESSAGES, "invalid": "Vul een geldige datum in (JJJJ-MM-DD)."}
BOOL_MESSAGES = {**MESSAGES, "invalid": "Vul true of false in."}
NOT_EMPTY = validate.Length(min=1, error="Dit veld mag niet leeg zijn.")


def text(max_length: int, *, required: bool = True, **kwargs) -> fields.String:
    """Return a required, stripped-of-emptiness text field with Dutch messages."""
    checks = [validate.Length(min=1 if required else 0, max=max_length,
                              error=f"Vul tussen {1 if required else 0} en {max_length} tekens in.")]
    return fields.String(required=required, validate=checks, error_messages=MESSAGES, **kwargs)


def choice(values: tuple[str, ...], *, required: bool = True, **kwargs) -> fields.String:
    """Return a (required) choice field with a Dutch message listing the values."""
    return fields.String(required=required, error_messages=MESSAGES,
                         validate=validate.OneOf(values, error=f"Kies een van: {', '.join(values)}."), **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON true/false only: "yes", 1 or "true" are refused so that a typo cannot flip a decision."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def not_in_future(day, message: str) -> None:
    """A field validator: a date up to today (the service's clock, Europe/Amsterdam)."""
    if day > clock.local_date(clock.now()):
        raise ValidationError(message)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class ComplainantSchema(StrictSchema):
    name = text(200)
    address = text(500)
    email = fields.Email(required=False, allow_none=True, error_messages={
        **MESSAGES, "invalid": "Vul een geldig e-mailadres in."})
    phone = text(50, required=False, allow_none=True)
    salutation = choice(("heer", "mevrouw"), required=False, load_default=None, allow_none=True)
    surname = text(200, required=False, load_default=None, allow_none=True)

    @validates_schema
    def surname_with_salutation(self, data, **kwargs):
        if data.get("salutation") and not data.get("surname"):
            raise ValidationError("Vul de achternaam in (met tussenvoegsel) bij de aanhef.", "surname")


class CommissioningClientSchema(StrictSchema):
    kind = choice(("employer", "uwv", "municipality", "none"))
    name = text(200, required=False, allow_none=True)
    # where the escalation letters send the complainant (and, with consent, the case summary)
    address = text(1000, required=False, load_default=None, allow_none=True)
    contact_person = text(200, required=False, load_default=None, allow_none=True)

    @validates_schema
    def name_unless_none(self, data, **kwargs):
        if data.get("kind") not in (None, "none") and not (data.get("name") or "").strip():
            raise ValidationError(REQUIRED, "name")


class ComplaintCreateSchema(StrictSchema):
    complainant = fields.Nested(ComplainantSchema, required=True, error_messages=MESSAGES)
    dated_on = fields.Date(required=True, error_messages=DATE_MESSAGES)
    received_on = fields.Date(required=True, error_messages=DATE_MESSAGES)
    channel = choice(("written", "oral"))
    description = text(20000)
    coach = text(80)
    commissioning_client = fields.Nested(CommissioningClientSchema, required=True, error_messages=MESSAGES)
    concerns_personal_data = StrictBoolean(required=True, error_messages=BOOL_MESSAGES)
    official = StrictBoolean(required=True, error_messages=BOOL_MESSAGES,
                              validate=validate.Equal(True, error="Alleen een officiële klacht wordt "
                                                      "geregistreerd: de klager moet dit aangeven."))
    category = fields.Integer(required=False, allow_none=True, strict=True, load_default=None,
                              error_messages={**MESSAGES, "invalid": "Geef het nummer (id) van een categorie."})
    # the intake phone call of a complaint made orally (step 1): kept as a phone note dated on received_on
    intake_note = text(20000, required=False, load_default=None, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def intake_note_only_when_oral(self, data, **kwargs):
        if data.get("intake_note") and data.get("channel") != "oral":
            raise ValidationError("Een aantekening van het telefoongesprek hoort alleen bij een mondeling "
                                  "ingediende klacht.", "intake_note")

    @validates_schema(skip_on_field_errors=False)
    def dates_in_order(self, data, **kwargs):
        """The dates' order is reported with every other error at once (registration checks it again)."""
        errors: dict[str, list[str]] = {}
        received, dated = data.get("received_on"), data.get("dated_on")
        if received is not None and received > clock.local_date(clock.now()):
            errors["received_on"] = ["De ontvangstdatum mag niet in de toekomst liggen."]
        if received is not None and dated is not None and received < dated:
            errors.setdefault("received_on", []).append("De ontvangstdatum ligt vóór de dagtekening.")
        if errors:
            raise ValidationError(errors)


class ExtensionCreateSchema(StrictSchema):
    reason = text(5000)
    new_due_on = fields.Date(required=True, error_messages=DATE_MESSAGES)
    complainant_consent = StrictBoolean(load_default=False, error_messages=BOOL_MESSAGES)
    # when and how the complainant consented; recorded with the extension and named in its letter
    consent_given_on = fields.Date(load_default=None, allow_none=True, error_messages=DATE_MESSAGES)
    consent_channel = choice(("written", "oral", "email"), required=False, load_default=None, allow_none=True)


class ClassificationSchema(StrictSchema):
    """PUT /api/complaints/<id>/classification: a key left out stays as it is; null clears it."""

    category = fields.Integer(allow_none=True, strict=True,
                              error_messages={**MESSAGES, "invalid": "Geef het nummer (id) van een categorie."})
    outcome = fields.String(allow_none=True, error_messages=MESSAGES, validate=validate.OneOf(
        OUTCOMES, error=f"Kies een van: {', '.join(OUTCOMES)}."))

    @validates_schema
    def something(self, data, **kwargs):
        if not data:
            raise ValidationError("Geef category en/of outcome.", "_schema")


class CategorySchema(StrictSchema):
    name = text(100)
    active = StrictBoolean(error_messages=BOOL_MESSAGES)


class CategoryOut(Schema):
    id = fields.Integer()
    name = fields.String()
    active = fields.Boolean()


class EscalationCreateSchema(StrictSchema):
    route = choice(("commissioning_client", "ombudsman", "data_protection_authority"))
    reason = text(5000)
    # only with this consent does the case summary go to the commissioning client (dossier_opdrachtgever)
    complainant_consent_to_share = StrictBoolean(load_default=False, error_messages=BOOL_MESSAGES)

    @validates_schema
    def consent_only_for_the_client(self, data, **kwargs):
        if data.get("complainant_consent_to_share") and data.get("route") not in (None, "commissioning_client"):
            raise ValidationError("Instemming met het delen van de samenvatting geldt alleen voor de route "
                                  "commissioning_client.", "complainant_consent_to_share")


class ClientDetailsSchema(StrictSchema):
    """PUT /api/complaints/<id>/commissioning-client: a key left out stays as it is; null or "" clears it."""

    address = text(1000, required=False, allow_none=True)
    contact_person = text(200, required=False, allow_none=True)

    @validates_schema
    def something(self, data, **kwargs):
        if not data:
            raise ValidationError("Geef address en/of contact_person.", "_schema")


class WithdrawalCreateSchema(StrictSchema):
    """POST /api/complaints/<id>/withdrawal: when and how the complainant withdrew, and why (optional)."""

    withdrawn_on = fields.Date(required=True, error_messages=DATE_MESSAGES, validate=lambda day: not_in_future(
        day, "De datum van intrekking mag niet in de toekomst liggen."))  # reported with the other fields' errors
    channel = choice(("written", "oral"))
    reason = text(5000, required=False, load_default=None, allow_none=True)


class HandlerReplaceSchema(StrictSchema):
    """POST /api/complaints/<id>/handler: another handler, as at appointment, and why (name and function left out:
    the handler's profile)."""

    handler_username = text(80)
    handler_name = text(200, required=False)
    handler_function = text(200, required=False)
    reason = text(5000)


class SignalCreateSchema(StrictSchema):
    """POST /api/signals: dissatisfaction that is not an official complaint, for the analysis."""

    kind = choice(("informal", "resolved_early"))
    received_on = fields.Date(required=True, error_messages=DATE_MESSAGES)
    description = text(5000)
    coach = text(80, required=False, load_default=None, allow_none=True)
    category = fields.Integer(load_default=None, allow_none=True, strict=True,
                              error_messages={**MESSAGES, "invalid": "Geef het nummer (id) van een categorie."})
    resolution = text(5000, required=False, load_default=None, allow_none=True)


class SignalOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    received_on = fields.Date()
    description = fields.String()
    coach_username = fields.String(allow_none=True)
    category_id = fields.Integer(allow_none=True)
    resolution = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    recorded_by = fields.String()


class DelayNoticeCreateSchema(StrictSchema):
    """POST /api/complaints/<id>/delay-notices: why the call report is late, and when it is expected."""

    reason = text(5000)
    expected_on = fields.Date(required=True, error_messages=DATE_MESSAGES)


class ComplainantCorrectionSchema(StrictSchema):
    """The complainant's contact details as corrected: a key left out stays as it is; null clears e-mail or phone."""

    address = fields.String(error_messages=MESSAGES, validate=validate.Length(
        min=1, max=500, error="Vul tussen 1 en 500 tekens in."))
    email = fields.Email(allow_none=True, error_messages={**MESSAGES, "invalid": "Vul een geldig e-mailadres in."})
    phone = text(50, required=False, allow_none=True)


class ClientCorrectionSchema(StrictSchema):
    """The commissioning client as corrected: a key left out stays as it is; null clears it (kind none: all)."""

    kind = choice(("employer", "uwv", "municipality", "none"), required=False)
    name = text(200, required=False, allow_none=True)
    address = text(1000, required=False, allow_none=True)
    contact_person = text(200, required=False, allow_none=True)


class RegistrationCorrectionSchema(StrictSchema):
    """PATCH /api/complaints/<id>/registration: what the practice corrects, and why (the reason is required)."""

    complainant = fields.Nested(ComplainantCorrectionSchema, error_messages=MESSAGES)
    commissioning_client = fields.Nested(ClientCorrectionSchema, error_messages=MESSAGES)
    concerns_personal_data = StrictBoolean(error_messages=BOOL_MESSAGES)
    reason = text(5000)

    @validates_schema
    def something_to_correct(self, data, **kwargs):
        if not (data.get("complainant") or data.get("commissioning_client") or "concerns_personal_data" in data):
            raise ValidationError("Geef ten minste één gegeven om te corrigeren: complainant, commissioning_client "
                                  "of concerns_personal_data.", "_schema")


class NoteCreateSchema(StrictSchema):
    """POST /api/complaints/<id>/notes: a dated note on the case (files only through the web page's form)."""

    noted_on = fields.Date(required=True, error_messages=DATE_MESSAGES)
    kind = choice(NOTE_KINDS)
    text = text(20000)

    @validates_schema(skip_on_field_errors=False)
    def not_in_the_future(self, data, **kwargs):
        """Reported with the other fields at once; the domain checks it again."""
        if data.get("noted_on") is not None and data["noted_on"] > clock.local_date(clock.now()):
            raise ValidationError("De datum van de notitie mag niet in de toekomst liggen.", "noted_on")


def flatten(errors: object, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested errors into {"field.path": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten(value, path))
    elif isinstance(errors, list) and all(isinstance(m, str) for m in errors):
        flat[prefix or "_schema"] = list(errors)
    else:
        flat[prefix or "_schema"] = [str(errors)]
    return flat


def load(schema: Schema, payload: object) -> dict:
    """Validate a request body with schema, raising InvalidInput with field paths."""
    if not isinstance(payload, dict):
        raise BadRequest("Stuur een JSON-object.")
    try:
        return schema.load(payload)
    except ValidationError as err:
        raise InvalidInput(errors=flatten(err.messages)) from err


# ---------------------------------------------------------------- responses


class TaskOut(Schema):
    id = fields.String()
    task = fields.String()
    name = fields.String()
    role = fields.String()
    assignee = fields.String(allow_none=True)
    state = fields.String()
    due_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    complaint_id = fields.Integer()
    reference = fields.String()


class DeadlineOut(Schema):
    name = fields.String()
    due_on = fields.Date()
    met_on = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    passed_at = fields.DateTime(allow_none=True)
    cancelled_on = fields.Date(allow_none=True)


class HistoryOut(Schema):
    at = fields.DateTime()
    actor = fields.String()
    kind = fields.String()
    detail = fields.Dict()


class LetterOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    created_at = fields.DateTime()
    created_by = fields.String()
    version = fields.Integer()
    replaces_id = fields.Integer(allow_none=True)
    step = fields.String()
    filename = fields.String()
    recipient = fields.String()
    recipient_name = fields.String(allow_none=True)


class AttachmentOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = fields.DateTime()
    uploaded_by = fields.String()


class ExtensionOut(Schema):
    deadline = fields.String()
    reason = fields.String()
    previous_due_on = fields.Date()
    new_due_on = fields.Date()
    complainant_consent = fields.Boolean()
    consent_given_on = fields.Date(allow_none=True)
    consent_channel = fields.String(allow_none=True)
    created_at = fields.DateTime()
    created_by = fields.String()


class EscalationOut(Schema):
    route = fields.String()
    reason = fields.String()
    complainant_consent_to_share = fields.Boolean()
    created_at = fields.DateTime()
    created_by = fields.String()


class DelayNoticeOut(Schema):
    id = fields.Integer()
    reason = fields.String()
    expected_on = fields.Date()
    created_at = fields.DateTime()
    created_by = fields.String()


class NoteOut(Schema):
    id = fields.Integer()
    noted_on = fields.Date()
    kind = fields.String(metadata={"enum": list(NOTE_KINDS)})
    text = fields.String()
    author = fields.String()
    created_at = fields.DateTime()
    attachments = fields.List(fields.Integer(), metadata={"description": "ids of the complaint's attachments"})


class ComplaintOut(Schema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    complainant = fields.Dict()
    dated_on = fields.Date()
    received_on = fields.Date()
    channel = fields.String()
    description = fields.String()
    coach = fields.String()
    commissioning_client = fields.Dict()
    written_complaint_missing = fields.Boolean()
    concerns_personal_data = fields.Boolean()
    official = fields.Boolean()
    handler = fields.Dict(allow_none=True)
    registered_at = fields.DateTime()
    registered_by = fields.String()
    resolved_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    withdrawal = fields.Dict(allow_none=True)
    process_version = fields.Integer()
    overdue = fields.Boolean()
    incident = fields.String(allow_none=True)
    tasks = fields.List(fields.Nested(TaskOut))
    deadlines = fields.List(fields.Nested(DeadlineOut))
    letters = fields.List(fields.Nested(LetterOut))
    extensions = fields.List(fields.Nested(ExtensionOut))
    escalations = fields.List(fields.Nested(EscalationOut))
    delay_notices = fields.List(fields.Nested(DelayNoticeOut))
    attachments = fields.List(fields.Nested(AttachmentOut))
    notes = fields.List(fields.Nested(NoteOut))
    data = fields.Dict()
    history = fields.List(fields.Nested(HistoryOut))
    classification = fields.Dict()
    retention_hold = fields.Boolean()
    retention_hold_reason = fields.String(allow_none=True)
    anonymised_at = fields.DateTime(allow_none=True)


class RetentionHoldSchema(StrictSchema):
    """Keep a complaint from retention (a reason required) or release it."""

    hold = StrictBoolean(required=True, error_messages=BOOL_MESSAGES)
    reason = text(5000, required=False, allow_none=True)


class AccessLogOut(Schema):
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String(metadata={"enum": ["view", "letter", "attachment", "export"]})
    detail = fields.Dict()


class ComplaintSummaryOut(Schema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    complainant_name = fields.String()
    received_on = fields.Date()
    handler_username = fields.String(allow_none=True)
    coach = fields.String()
    overdue = fields.Boolean()
    process_version = fields.Integer()


class ErrorOut(Schema):
    error = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ProcessVersionOut(Schema):
    number = fields.Integer()
    process_id = fields.String()
    sha256 = fields.String()
    deployed_at = fields.DateTime()
    deployed_by = fields.String()
    comment = fields.String()


class QuarterlyReviewOut(Schema):
    quarter = fields.String(metadata={"example": "2026-Q1"})
    period_from = fields.Date()
    period_to = fields.Date()
    status = fields.String(metadata={"enum": ["waiting", "open", "done"]})
    opens_at = fields.DateTime(allow_none=True, metadata={"description": "The start timer's due time (waiting)"})
    opened_on = fields.Date(allow_none=True, metadata={"description": "The day the task opened"})
    conclusions = fields.String(allow_none=True)
    actions = fields.String(allow_none=True)
    completed_by = fields.String(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    dashboard = fields.String(metadata={"description": "The analysis page of the quarter"})


class QuarterlyReviewDetailOut(QuarterlyReviewOut):
    previous = fields.Nested(QuarterlyReviewOut, allow_none=True,
                             metadata={"description": "The quarter before, whose conclusions it shows again"})


class QuarterlyReviewsOut(Schema):
    reviews = fields.List(fields.Nested(QuarterlyReviewOut), metadata={"description": "Opened, newest first"})
    waiting = fields.Nested(QuarterlyReviewOut, allow_none=True)


class ProblemOut(Schema):
    element_id = fields.String(allow_none=True)
    element_name = fields.String()
    code = fields.String()
    message_nl = fields.String()
    message_en = fields.String()


class ProblemsOut(Schema):
    problems = fields.List(fields.Nested(ProblemOut))


class RejectedOut(ErrorOut):
    problems = fields.List(fields.Nested(ProblemOut))


class DraftSummaryOut(Schema):
    id = fields.Integer()
    name = fields.String()
    updated_at = fields.DateTime()
    updated_by = fields.String()
    base_version = fields.Integer(allow_none=True)


class DraftSavedOut(DraftSummaryOut):
    problems = fields.List(fields.Nested(ProblemOut))


class DraftOut(DraftSavedOut):
    bpmn = fields.String()


class DiffElementOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()


class DiffChangedOut(DiffElementOut):
    changes = fields.List(fields.String())
    # per change that has a value (name, role, form, letter, deadline, timer, condition, script, ...): old and new
    values = fields.Dict(keys=fields.String(), values=fields.Dict())


class DiffOut(Schema):
    added = fields.List(fields.Nested(DiffElementOut))
    removed = fields.List(fields.Nested(DiffElementOut))
    changed = fields.List(fields.Nested(DiffChangedOut))


class MigrationItemOut(Schema):
    complaint_id = fields.Integer()
    reference = fields.String()
    from_version = fields.Integer()
    safe = fields.Boolean()
    reasons = fields.List(fields.String())


class MigrationResultOut(MigrationItemOut):
    migrated = fields.Boolean()


# ---------------------------------------------------------------- practice settings and user profiles


def _optional_text(description: str) -> fields.String:
    return fields.String(required=False, allow_none=True, error_messages={**MESSAGES, "invalid": "Vul tekst in."},
                         metadata={"description": description})


class PracticeSettingsSchema(StrictSchema):
    """PUT /api/practice: the letterhead; the domain checks every field (service/practice/settings.py)."""

    name = _optional_text("The practice's name (required)")
    address = _optional_text("The address, one line per address line separated by \\n (required, at most 4)")
    phone = _optional_text("Phone number (phone or e-mail required)")
    email = _optional_text("E-mail address (phone or e-mail required)")
    website = _optional_text("Website (optional)")
    place = _optional_text("The place letters are dated in (required)")
    logo_base64 = fields.String(required=False, allow_none=True, error_messages={
        **MESSAGES, "invalid": "Geef het logo als base64-tekst."}, metadata={
        "description": "PNG or JPEG (at most 1 MB) in base64; left out: the logo stays; null: the logo is removed"})


class LogoOut(Schema):
    content_type = fields.String()
    width = fields.Integer(metadata={"description": "pixels"})
    height = fields.Integer(metadata={"description": "pixels"})
    size = fields.Integer(metadata={"description": "bytes"})


class PracticeSettingsOut(Schema):
    filled = fields.Boolean(metadata={"description": "false: letters use letterhead.json and are marked as samples"})
    name = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    address_lines = fields.List(fields.String())
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    place = fields.String(allow_none=True)
    logo = fields.Nested(LogoOut, allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)


class ProfileSchema(StrictSchema):
    """PUT /api/users/<username>/profile: a key left out stays as it is; null or "" clears function or number."""

    display_name = _optional_text("The name letters show (not empty)")
    function = _optional_text("The function letters show, e.g. Loopbaancoach")
    noloc_number = _optional_text("NOLOC membership number: a handler with one counts as NOLOC member")

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("Geef display_name, function en/of noloc_number.", "_schema")


class UserProfileOut(Schema):
    username = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    function = fields.String(allow_none=True)
    noloc_number = fields.String(allow_none=True)


class LetterTemplateOut(Schema):
    """A letter template on the Brieven page: standard or changed by the practice, and in use or not yet."""

    name = fields.String(metadata={"example": "eindverslag"})
    label = fields.String(metadata={"example": "Eindverslag"})
    filename = fields.String(metadata={"example": "eindverslag.docx"})
    state = fields.String(validate=validate.OneOf(["standaard", "aangepast"]))
    uploaded_at = fields.DateTime(allow_none=True)
    uploaded_by = fields.String(allow_none=True)
    sha256 = fields.String()
    in_use = fields.Boolean(metadata={"description": "The latest process version keeps this very template"})
    usage = fields.String(metadata={"example": "wordt gebruikt vanaf de volgende procesversie"})


# ---------------------------------------------------------------- the complainant's side (issue 18)


class PublicComplaintSchema(ComplaintCreateSchema):
    """POST /api/public/complaints: the registration body without received_on (received today), category and
    intake note; always written. Use as PublicComplaintSchema(exclude=PUBLIC_EXCLUDED)."""

    error_messages = {"unknown": "Onbekend veld."}
    channel = choice(("written",), required=False, load_default="written")

    @validates_schema(skip_on_field_errors=False)
    def dated_not_in_future(self, data, **kwargs):
        if data.get("dated_on") is not None and data["dated_on"] > clock.local_date(clock.now()):
            raise ValidationError("De datum van uw klacht mag niet in de toekomst liggen.", "dated_on")


PUBLIC_EXCLUDED = ("received_on", "category", "intake_note")


class StatusMessageSchema(StrictSchema):
    """POST <status_url>/messages: the complainant's message to the handler."""

    text = text(5000)


class StatusWithdrawalSchema(StrictSchema):
    """POST <status_url>/withdrawal: why (optional)."""

    reason = text(5000, required=False, load_default=None, allow_none=True)


class PublicCoachOut(Schema):
    username = fields.String()
    name = fields.String()


class PublicFiledOut(Schema):
    reference = fields.String()
    status_url = fields.String()


class StatusDeadlineOut(Schema):
    name = fields.String()
    due_on = fields.Date()
    met_on = fields.Date(allow_none=True)


class StatusLetterOut(Schema):
    kind = fields.String()
    created_at = fields.DateTime()
    url = fields.String()


class StatusOut(Schema):
    reference = fields.String()
    status = fields.String()
    phase = fields.String()
    received_on = fields.Date()
    deadlines = fields.List(fields.Nested(StatusDeadlineOut))
    letters = fields.List(fields.Nested(StatusLetterOut))

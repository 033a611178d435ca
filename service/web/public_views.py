"""The complainant's pages (issue 18): the public complaint form and the status page behind a secret link, both
without login; and what the practice does with them on its own pages (the links, letters sent by post, the form
on or off).

The public pages are a blueprint of their own (`public`): the practice's session CSRF check does not apply there.
The status page's forms carry a token tied to the status link instead (an HMAC of the link's hash with the
app's secret); its JSON posts need nothing beyond the secret address (another site cannot post JSON without a
CORS preflight).
"""

import hashlib
import hmac
import io
from collections.abc import Mapping
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from marshmallow import ValidationError

from service import clock, practice
from service.api.auth import client_address, current_user
from service.api.http import json_body
from service.api.schemas import (
    PUBLIC_EXCLUDED,
    PublicComplaintSchema,
    StatusMessageSchema,
    StatusWithdrawalSchema,
    flatten,
    load,
)
from service.complaints import attachments
from service.dutch import CLIENT_KIND_LABELS, LETTER_LABELS
from service.errors import BadRequest, Conflict, InvalidInput, NotFound
from service.models import Complaint
from service.public import filing, links, status
from service.web import bp
from service.web.common import ctx, page, uploaded_files
from service.web.intake import UPLOAD_ACCEPT, input_name

public_bp = Blueprint("public", __name__)

HONEYPOT = "website"  # hidden from people; a robot fills every field
FORM_FIELD = "status_token"
YES = "ja"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLIENT_KINDS = [(key, CLIENT_KIND_LABELS[key].capitalize() if key != "uwv" else "UWV")
                for key in ("employer", "uwv", "municipality", "none")]
CLIENT_KINDS[-1] = ("none", "Geen opdrachtgever (ik betaalde zelf)")


@public_bp.after_request
def _no_referrer(response):
    """The status page's address is its secret: never sent on as a referrer, never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _is_form() -> bool:
    """Whether a post comes from the page's own forms (else it is a program's JSON post)."""
    return request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


# ---------------------------------------------------------------- the public complaint form


def _text(form: Mapping, name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def public_payload(form: Mapping) -> dict:
    """Return the validated registration from the public form, or raise InvalidInput by input name."""
    complainant = {"name": _text(form, "complainant_name"), "address": _text(form, "complainant_address"),
                   "email": _text(form, "complainant_email"), "phone": _text(form, "complainant_phone")}
    client = {"kind": _text(form, "commissioning_client_kind"), "name": _text(form, "commissioning_client_name")}
    if client["kind"] == "none":
        client["name"] = None
    payload: dict = {"complainant": {k: v for k, v in complainant.items() if v is not None or k in ("email", "phone")},
                     "commissioning_client": {k: v for k, v in client.items() if v is not None or k == "name"},
                     "official": form.get("official") == YES}
    for name in ("dated_on", "description", "coach"):
        if _text(form, name) is not None:
            payload[name] = _text(form, name)
    answer = {YES: True, "nee": False}.get(form.get("concerns_personal_data") or "")
    if answer is not None:
        payload["concerns_personal_data"] = answer
    try:
        return PublicComplaintSchema(exclude=PUBLIC_EXCLUDED).load(payload)
    except ValidationError as err:
        raise InvalidInput(errors={input_name(k): v for k, v in flatten(err.messages).items()}) from err


def _render_form(values: Mapping, errors: dict, status_code: int = 200, message: str | None = None):
    coaches = [(user.username, user.display_name or user.username) for user in filing.active_coaches()]
    return render_template("public_form.html", values=values, errors=errors, message=message, coaches=coaches,
                           client_kinds=CLIENT_KINDS, accept=UPLOAD_ACCEPT, today=clock.local_date(clock.now()),
                           honeypot=HONEYPOT,
                           upload_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)), status_code


@public_bp.get("/klacht-indienen")
def complaint_form():
    """The public complaint form with the regulation in plain words (404 while the practice has it off)."""
    if not filing.form_enabled():
        raise NotFound(filing.FORM_OFF)
    return _render_form({}, {})


@public_bp.post("/klacht-indienen")
def file_complaint():
    """File the complaint; refusals show the form again with every value kept, and nothing is stored."""
    now = clock.now()
    if request.form.get(HONEYPOT):  # a robot: it is told all went well, and only its address is counted
        filing.count_honeypot(client_address(), now)
        return redirect(url_for("public.complaint_sent"), code=303)
    filing.check_open(client_address(), now)
    uploads = uploaded_files("written_complaint")
    try:
        payload = public_payload(request.form)
    except InvalidInput as err:
        errors = dict(err.errors)
        try:
            attachments.check_uploads(uploads, ctx())
        except InvalidInput as file_err:
            errors.update(file_err.errors)
        return _render_form(request.form, errors, 422, "Uw klacht is nog niet verstuurd. Verbeter wat hieronder "
                                                       "staat.")
    try:
        complaint, token = filing.file_complaint(payload, address=client_address(), now=now, ctx=ctx(),
                                                 uploads=uploads)
    except InvalidInput as err:
        return _render_form(request.form, {input_name(k): v for k, v in err.errors.items()}, 422,
                            "Uw klacht is nog niet verstuurd. Verbeter wat hieronder staat.")
    flash(f"Uw klacht is ontvangen en geregistreerd onder kenmerk {complaint.reference}.", "success")
    return redirect(url_for("public.status_page", token=token, nieuw=1), code=303)


@public_bp.get("/klacht-indienen/verzonden")
def complaint_sent():
    """What a robot that filled the hidden field is shown (people are sent to their status page)."""
    return render_template("public_sent.html")


# ---------------------------------------------------------------- the status page


def form_token(token: str) -> str:
    """Return the form token of a status link: tied to the link, so no session is needed."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"status-page:" + links.token_hash(token).encode(), hashlib.sha256).hexdigest()


def _check_form(token: str) -> None:
    """A form post of the status page carries the link's form token; a JSON post needs none."""
    if not _is_form():
        return
    sent = request.form.get(FORM_FIELD, "")
    if not hmac.compare_digest(sent.encode(), form_token(token).encode()):
        raise BadRequest("Het formulier is verlopen; laad de pagina opnieuw.")


def _letter_url(token: str, letter_id: int) -> str:
    return f"{links.status_url(ctx().mail.base_url, token)}/brieven/{letter_id}"


def _render_status(token: str, view: status.StatusView, *, errors: dict | None = None, form: str | None = None,
                   values: Mapping | None = None, status_code: int = 200):
    return render_template("public_status.html", view=view, token=token, form_token=form_token(token),
                           form_field=FORM_FIELD, errors=errors or {}, form=form, values=values or {},
                           LETTER_LABELS=LETTER_LABELS, accept=UPLOAD_ACCEPT, new=request.args.get("nieuw") == "1",
                           status_url=links.status_url(ctx().mail.base_url, token),
                           upload_mb=current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)), status_code


@public_bp.get("/klacht/<token>")
def status_page(token: str):
    """The complainant's status page (HTML, or JSON with Accept: application/json); every view is logged."""
    as_json = _wants_json()
    view = status.view_status(token, now=clock.now(), form="json" if as_json else "html")
    if as_json:
        return {"reference": view.reference, "status": view.status, "phase": view.phase,
                "received_on": view.received_on.isoformat(),
                "deadlines": [{"name": d.name, "due_on": d.due_on.isoformat(),
                               "met_on": d.met_on.isoformat() if d.met_on else None} for d in view.deadlines],
                "letters": [{"kind": letter.kind, "created_at": letter.created_at.isoformat(),
                             "url": _letter_url(token, letter.id)} for letter in view.letters]}
    return _render_status(token, view)


@public_bp.get("/klacht/<token>/brieven/<int:letter_id>")
def status_letter(token: str, letter_id: int):
    """Download a letter addressed to the complainant of this link's complaint (no login)."""
    letter = status.status_letter(token, letter_id, now=clock.now())
    return send_file(io.BytesIO(letter.content or b""), mimetype=DOCX, as_attachment=True,
                     download_name=letter.filename)


def _posted(token: str, schema, form_name: str):
    """Return the validated body of a status-page post (JSON or form), or a response showing the errors."""
    _check_form(token)
    if not _is_form():
        return load(schema, json_body()), None
    fields = {name: (request.form.get(name) or "").strip() for name in schema.fields}
    fields = {name: value for name, value in fields.items() if value}
    try:
        return load(schema, fields), None
    except InvalidInput as err:
        view = status.view_status(token, now=clock.now())
        return None, _render_status(token, view, errors=err.errors, form=form_name, values=request.form,
                                    status_code=422)


@public_bp.post("/klacht/<token>/messages")
def send_message(token: str):
    """The complainant sends a message (and, on the page, files) to the handler: 201 (JSON) or back to the page."""
    payload, refused = _posted(token, StatusMessageSchema(), "message")
    if refused:
        return refused
    uploads = uploaded_files("file") if _is_form() else []
    try:
        status.send_message(token, payload["text"], now=clock.now(), ctx=ctx(), uploads=uploads)
    except InvalidInput as err:
        if not _is_form():
            raise
        view = status.view_status(token, now=clock.now())
        return _render_status(token, view, errors=err.errors, form="message", values=request.form, status_code=422)
    if not _is_form():
        return {"sent": True}, 201
    flash("Uw bericht is verstuurd; het is bij uw klacht bewaard en de behandelaar (of, zolang die er nog niet "
          "is, de praktijk) krijgt er bericht van.", "success")
    return redirect(url_for("public.status_page", token=token, _anchor="bericht"), code=303)


@public_bp.post("/klacht/<token>/withdrawal")
def withdraw(token: str):
    """The complainant withdraws the complaint: 201 (JSON) or back to the page with the confirmation."""
    if _is_form() and request.form.get("confirm") != YES:
        _check_form(token)
        view = status.view_status(token, now=clock.now())
        return _render_status(token, view, form="withdrawal", values=request.form, status_code=422,
                              errors={"confirm": ["Vink aan dat u uw klacht wilt intrekken."]})
    payload, refused = _posted(token, StatusWithdrawalSchema(), "withdrawal")
    if refused:
        return refused
    complaint = status.withdraw_online(token, payload.get("reason"), now=clock.now(), ctx=ctx())
    if not _is_form():
        return {"reference": complaint.reference, "status": complaint.status,
                "withdrawn_on": complaint.withdrawn_on.isoformat()}, 201
    flash("Uw klacht is ingetrokken. U ontvangt hiervan een bevestiging; die staat ook hieronder bij uw brieven.",
          "success")
    return redirect(url_for("public.status_page", token=token), code=303)


# ---------------------------------------------------------------- the practice's side


def file_context(complaint: Complaint) -> dict:
    """What the complaint page shows of the complainant's side: the links and how each letter was delivered."""
    found = links.links_of(complaint.id)
    return {"registered_online": complaint.registered_by == filing.ONLINE,
            "links_active": sum(1 for link in found if link.revoked_at is None), "links_made": len(found),
            "deliveries": status.deliveries(complaint)}


@bp.post("/klachten/<int:complaint_id>/statuslink/intrekken")
@page("practice")
def revoke_status_links(complaint_id: int):
    """Revoke every link to the complaint's status page."""
    count = status.revoke_links(complaint_id, actor=current_user(), now=clock.now())
    flash("De links naar de statuspagina zijn ingetrokken." if count else "Er was geen geldige link.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id, _anchor="statuspagina"), code=303)


@bp.post("/klachten/<int:complaint_id>/statuslink/vernieuwen")
@page("practice")
def renew_status_link(complaint_id: int):
    """Revoke every link and make a new one, shown once on this page (only its hash is kept)."""
    token = status.renew_link(complaint_id, actor=current_user(), now=clock.now())
    return render_template("status_link.html", complaint_id=complaint_id,
                           status_url=links.status_url(ctx().mail.base_url, token))


@bp.post("/klachten/<int:complaint_id>/brieven/<int:letter_id>/per-post")
@page("practice", "handler")
def mark_letter_posted(complaint_id: int, letter_id: int):
    """Record that a letter was sent by post (today unless another day is given)."""
    raw = (request.form.get("sent_on") or "").strip()
    try:
        sent_on = date.fromisoformat(raw) if raw else clock.local_date(clock.now())
    except ValueError:
        flash("Vul een geldige datum in.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id, _anchor="letters-heading"), code=303)
    try:
        status.mark_sent_by_post(complaint_id, letter_id, sent_on, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        flash(" ".join(message for messages in err.errors.values() for message in messages), "error")
    else:
        flash("Vastgelegd dat de brief per post is verstuurd.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id, _anchor="letters-heading"), code=303)


@bp.post("/praktijk/klachtformulier")
@page("practice")
def set_public_form():
    """Turn the public complaint form on or off."""
    enabled = request.form.get("public_form_enabled") == YES
    try:
        practice.set_public_form(enabled, actor=current_user(), now=clock.now())
    except Conflict as err:
        flash(err.message, "error")
    else:
        flash("Het klachtformulier op de website staat aan." if enabled
              else "Het klachtformulier op de website staat uit.", "success")
    return redirect(url_for("web.practice_settings_page", _anchor="klachtformulier"), code=303)

"""JSON API of the practice's details (letterhead and logo) and of the users' profiles (function, NOLOC number)."""

import base64
import binascii
from dataclasses import asdict

from apispec import APISpec
from flask import Blueprint, Response

from service import clock, practice
from service.accounts import users
from service.api.auth import current_user, login_required
from service.api.http import json_body
from service.api.schemas import PracticeSettingsOut, PracticeSettingsSchema, ProfileSchema, UserProfileOut, load
from service.errors import InvalidInput, NotFound
from service.models import PracticeSettings, User

bp = Blueprint("practice_api", __name__, url_prefix="/api")


def settings_dict(settings: PracticeSettings | None) -> dict:
    """The practice's details as the API shows them (PracticeSettingsOut); empty while not filled in."""
    if settings is None:
        return {"filled": False, "address_lines": [], "logo": None,
                **dict.fromkeys(("name", "address", "phone", "email", "website", "place", "updated_at",
                                 "updated_by"))}
    logo = practice.logo_info(settings)
    return {"filled": True, "name": settings.name, "address": settings.address,
            "address_lines": practice.address_lines(settings.address), "phone": settings.phone,
            "email": settings.email, "website": settings.website, "place": settings.place,
            "logo": asdict(logo) if logo is not None else None, "updated_at": settings.updated_at,
            "updated_by": settings.updated_by}


def profile_dict(user: User) -> dict:
    """A user's profile as the API shows it (UserProfileOut)."""
    return {"username": user.username, "display_name": user.display_name, "roles": sorted(user.roles),
            "function": user.function, "noloc_number": user.noloc_number}


@bp.get("/practice")
@login_required("practice")
def get_settings():
    """The practice's details for the letterhead (filled: false until they are saved)."""
    return PracticeSettingsOut().dump(settings_dict(practice.current_settings()))


@bp.put("/practice")
@login_required("practice")
def put_settings():
    """Save the practice's details; logo_base64 replaces the logo (null removes it, left out keeps it)."""
    payload = load(PracticeSettingsSchema(), json_body())
    logo, remove_logo = None, False
    if "logo_base64" in payload:
        remove_logo = payload["logo_base64"] is None
        logo = None if remove_logo else _decoded(payload["logo_base64"])
    try:
        settings = practice.save_settings(payload, logo=logo, remove_logo=remove_logo, actor=current_user(),
                                          now=clock.now())
    except InvalidInput as err:  # the logo is the field logo_base64 here
        raise InvalidInput(err.message, {("logo_base64" if k == "logo" else k): v for k, v in err.errors.items()}
                           ) from err
    return PracticeSettingsOut().dump(settings_dict(settings))


@bp.get("/practice/logo")
@login_required("practice")
def get_logo():
    """The saved logo as its image file."""
    settings = practice.current_settings()
    if settings is None or not settings.logo:
        raise NotFound("Er is geen logo opgeslagen.")
    return Response(settings.logo, mimetype=settings.logo_content_type)


@bp.put("/users/<username>/profile")
@login_required("practice")
def put_profile(username: str):
    """Change a user's display name, function and/or NOLOC membership number (practice)."""
    payload = load(ProfileSchema(), json_body())
    user = users.update_profile(username, payload, actor=current_user(), now=clock.now())
    return UserProfileOut().dump(profile_dict(user))


def _decoded(text: str) -> bytes:
    """Return the bytes of a base64 text; InvalidInput on logo_base64 when it is none."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise InvalidInput(errors={"logo_base64": ["Geef het logo als base64-tekst."]}) from err


def describe(spec: APISpec, errors, answer) -> None:
    """Add this module's paths to the OpenAPI document (errors, answer: openapi._errors, openapi._answer)."""
    for name, schema in (("PracticeSettings", PracticeSettingsOut), ("PracticeSettingsSave", PracticeSettingsSchema),
                         ("UserProfile", UserProfileOut), ("ProfileChange", ProfileSchema)):
        spec.components.schema(name, schema=schema)

    def body(schema: str) -> dict:
        reference = {"$ref": f"#/components/schemas/{schema}"}
        return {"required": True, "content": {"application/json": {"schema": reference}}}

    spec.path("/api/practice", operations={
        "get": {"summary": "The practice's details for the letterhead (practice)",
                "responses": {"200": answer("The details", "PracticeSettings"), **errors(401, 403)}},
        "put": {"summary": "Save the practice's details and logo (practice); letters are samples until then",
                "requestBody": body("PracticeSettingsSave"),
                "responses": {"200": answer("Saved", "PracticeSettings"), **errors(400, 401, 403, 409, 422)}}})
    spec.path("/api/practice/logo", operations={"get": {
        "summary": "The saved logo (practice)",
        "responses": {"200": {"description": "The image", "content": {
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}, **errors(401, 403, 404)}}})
    spec.path("/api/users/{username}/profile", operations={"put": {
        "summary": "Change a user's name, function and NOLOC membership number (practice)",
        "parameters": [{"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": body("ProfileChange"),
        "responses": {"200": answer("The profile", "UserProfile"), **errors(400, 401, 403, 404, 422)}}})

"""The practice's letterhead (the one row of practice_settings): read it, check and save it with its logo."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from docx.image.image import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import db, transaction
from service.models import HistoryEvent, PracticeSettings, User

FIELDS = ("name", "address", "phone", "email", "website", "place")
MAX_LENGTH = {"name": 200, "phone": 50, "email": 254, "website": 200, "place": 100}
MAX_ADDRESS_LINES = 4
MAX_ADDRESS_LINE = 100
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 10_000  # per side; a letterhead logo is a few hundred pixels wide
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
SETTINGS_ID = 1  # one row: the practice
# The values of the letterhead.json that ships with the service: a letter must never go out with them.
PLACEHOLDERS = frozenset({"voorbeeldlaan 12", "9999 ab voorbeeldstad", "voorbeeldstad", "06 00 00 00 00",
                          "0600000000", "info@mvzloopbaancoaching.example", "www.mvzloopbaancoaching.example"})

REQUIRED = "Dit veld is verplicht."
PLACEHOLDER = "Dit is de voorbeeldwaarde van de standaardbriefkop; vul de gegevens van uw praktijk in."
CONTACT = "Vul een telefoonnummer of een e-mailadres in (of allebei)."
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_WEBSITE = re.compile(r"(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?")


@dataclass(frozen=True)
class Letterhead:
    """What a letter's header shows: the details (the keys of letters.render.LETTERHEAD_KEYS) and the logo."""

    details: dict
    logo: bytes | None


@dataclass(frozen=True)
class LogoInfo:
    """An uploaded logo as the pages and the API describe it."""

    content_type: str
    width: int
    height: int
    size: int


def current_settings() -> PracticeSettings | None:
    """Return the practice's saved details (the logo loads when read), or None while not filled in."""
    return db.session.scalar(select(PracticeSettings).order_by(PracticeSettings.id).limit(1))


def is_filled() -> bool:
    """Return whether the practice has filled in its details (one small query)."""
    return db.session.scalar(select(PracticeSettings.id).limit(1)) is not None


def letterhead() -> Letterhead | None:
    """Return the letterhead of the saved details with the logo, or None while not filled in."""
    settings = db.session.scalar(select(PracticeSettings).options(undefer(PracticeSettings.logo))
                                 .order_by(PracticeSettings.id).limit(1))
    if settings is None:
        return None
    details = {"name": settings.name, "address_lines": address_lines(settings.address), "phone": settings.phone,
               "email": settings.email, "website": settings.website, "place": settings.place}
    return Letterhead(details, settings.logo)


def address_lines(address: str) -> list[str]:
    """Return the lines of a stored address."""
    return [line for line in address.split("\n") if line.strip()]


def logo_info(settings: PracticeSettings | None) -> LogoInfo | None:
    """Describe the saved logo (type, pixels, bytes), or None without one."""
    if settings is None or not settings.logo:
        return None
    image = Image.from_blob(settings.logo)
    return LogoInfo(image.content_type, image.px_width, image.px_height, len(settings.logo))


@transaction
def save_settings(data: Mapping, *, logo: bytes | None = None, remove_logo: bool = False, actor: User,
                  now: datetime) -> PracticeSettings:
    """Check and save the practice's details; logo replaces the saved one, remove_logo drops it.

    data holds the texts of FIELDS (address: one line per address line). Every problem is reported by field
    and nothing is stored while there is one.
    """
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan de praktijkgegevens wijzigen.")
    values, errors = _checked(data)
    if logo is not None:
        problem = logo_problem(logo)
        if problem:
            errors["logo"] = [problem]
    if errors:
        raise InvalidInput("De praktijkgegevens zijn niet opgeslagen.", errors)
    settings = current_settings()
    if settings is None:
        settings = PracticeSettings(id=SETTINGS_ID)
        db.session.add(settings)
    changed = [name for name in FIELDS if getattr(settings, name) != values[name]]
    for name in FIELDS:
        setattr(settings, name, values[name])
    detail: dict = {"fields": changed}
    if logo is not None:
        settings.logo, settings.logo_content_type = logo, Image.from_blob(logo).content_type
        detail["logo"] = "replaced"
    elif remove_logo and settings.logo_content_type is not None:
        settings.logo, settings.logo_content_type = None, None
        detail["logo"] = "removed"
    settings.updated_at, settings.updated_by = now, actor.username
    db.session.add(HistoryEvent(complaint_id=None, at=now, actor=actor.username, kind="practice_settings_changed",
                                detail=detail))
    try:
        db.session.flush()
    except IntegrityError as err:  # two first saves at once: the other one won
        raise Conflict("De praktijkgegevens zijn tegelijk door iemand anders opgeslagen; laad de pagina opnieuw."
                       ) from err
    return settings


def logo_problem(content: bytes) -> str | None:
    """Return why content cannot be the letterhead logo (None: it can): PNG or JPEG, at most 1 MB, readable."""
    if not content:
        return "Het bestand is leeg."
    if not any(content.startswith(magic) for magic in LOGO_TYPES):
        return "Kies een PNG- of JPEG-bestand."
    if len(content) > MAX_LOGO_BYTES:
        return "Het logo is te groot: hoogstens 1 MB."
    try:  # python-docx places the logo in the letters: it must be able to read it
        image = Image.from_blob(content)
        width, height = image.px_width, image.px_height
    except Exception:  # python-docx raises several kinds of errors on a damaged file
        return "Het logo kan niet worden gelezen; sla het opnieuw op als PNG en probeer het nog eens."
    if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
        return "Het logo moet tussen 1 en 10.000 pixels breed en hoog zijn."
    return None


def _checked(data: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """Return the cleaned values of FIELDS and the problems by field."""
    values, errors = {}, {}
    for name in FIELDS:
        raw = data.get(name)
        if raw is not None and not isinstance(raw, str):
            errors[name] = ["Vul tekst in."]
            values[name] = ""
            continue
        value = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if name == "address":
            value = "\n".join(line.strip() for line in value.split("\n") if line.strip())
        values[name] = value
        problem = _problem(name, value)
        if problem:
            errors[name] = [problem]
    if not values["phone"] and not values["email"] and "phone" not in errors and "email" not in errors:
        errors["phone"] = errors["email"] = [CONTACT]
    return values, {name: errors[name] for name in FIELDS if name in errors}


def _problem(name: str, value: str) -> str | None:
    """Return the problem of one field's cleaned value, or None."""
    if not value:
        return REQUIRED if name in ("name", "address", "place") else None
    if _CONTROL.search(value):
        return "Gebruik geen stuurtekens."
    if name == "address":
        lines = value.split("\n")
        if len(lines) > MAX_ADDRESS_LINES:
            return f"Gebruik hoogstens {MAX_ADDRESS_LINES} regels."
        if any(len(line) > MAX_ADDRESS_LINE for line in lines):
            return f"Een regel mag hoogstens {MAX_ADDRESS_LINE} tekens hebben."
        if any(line.lower() in PLACEHOLDERS for line in lines):
            return PLACEHOLDER
        return None
    if "\n" in value:
        return "Gebruik één regel tekst."
    if len(value) > MAX_LENGTH[name]:
        return f"Te lang: maximaal {MAX_LENGTH[name]} tekens."
    if value.lower() in PLACEHOLDERS or (name in ("email", "website") and value.lower().endswith(".example")):
        return PLACEHOLDER
    if name == "phone" and (not _PHONE.fullmatch(value) or sum(c.isdigit() for c in value) < 6):
        return "Vul een telefoonnummer in: cijfers, eventueel met spaties, +, - of haakjes."
    if name == "phone" and set(re.sub(r"\D", "", value).removeprefix("06").removeprefix("0")) <= {"0"}:
        return PLACEHOLDER
    if name == "email" and not _EMAIL.fullmatch(value):
        return "Vul een geldig e-mailadres in, bijvoorbeeld info@uwpraktijk.nl."
    if name == "website" and not _WEBSITE.fullmatch(value):
        return "Vul een webadres in, bijvoorbeeld www.uwpraktijk.nl."
    return None


PUBLIC_FORM_NEEDS_SETTINGS = "Vul eerst de praktijkgegevens in; daarna kunt u het klachtformulier uit- of aanzetten."


@transaction
def set_public_form(enabled: bool, *, actor: User, now: datetime) -> PracticeSettings:
    """Turn the public complaint form on or off (issue 18); kept in the practice's settings row."""
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan het klachtformulier aan- of uitzetten.")
    settings = current_settings()
    if settings is None:
        raise Conflict(PUBLIC_FORM_NEEDS_SETTINGS)
    if settings.public_form_enabled != enabled:
        settings.public_form_enabled = enabled
        db.session.add(HistoryEvent(complaint_id=None, at=now, actor=actor.username, kind="public_form_changed",
                                    detail={"enabled": enabled}))
    return settings

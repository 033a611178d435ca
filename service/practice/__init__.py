"""The practice's own details: the letterhead and logo its letters carry (until filled in, letters are samples)."""

from service.practice.settings import (
    MAX_LOGO_BYTES,
    Letterhead,
    LogoInfo,
    address_lines,
    current_settings,
    is_filled,
    letterhead,
    logo_info,
    save_settings,
    set_public_form,
)

__all__ = ["MAX_LOGO_BYTES", "Letterhead", "LogoInfo", "address_lines", "current_settings", "is_filled",
           "letterhead", "logo_info", "save_settings",
           "set_public_form"]

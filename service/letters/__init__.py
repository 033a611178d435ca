"""Letters: Word templates filled from a plain context (render), the context of a complaint, letters of a step."""

from service.letters.render import (
    DOCUMENTS,
    KINDS,
    LETTERHEAD_FILE,
    LetterError,
    check_templates,
    checked_templates,
    letterhead,
    mark_as_draft,
    render_document,
    render_letter,
    template_path,
)

__all__ = ["DOCUMENTS", "KINDS", "LETTERHEAD_FILE", "LetterError", "check_templates", "checked_templates",
           "letterhead", "mark_as_draft", "render_document", "render_letter", "template_path"]

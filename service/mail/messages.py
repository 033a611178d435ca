"""The mails' Dutch text and HTML: the complaint's reference, the task, its due date and a link, nothing more.

A mail never carries case content (no complainant, no description): it may be read on a shared or lost phone.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from service.dutch import nl_date

SIGNATURE = "Klachtenregeling"


@dataclass(frozen=True)
class Mail:
    """What one mail says: its subject, plain text and HTML."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class TaskLine:
    """One task as a mail names it."""

    reference: str
    task_name: str
    due_on: date | None
    url: str
    overdue: bool = False


def _due(line: TaskLine) -> str:
    if line.due_on is None:
        return "geen termijn"
    return f"uiterlijk {nl_date(line.due_on)}" + (" (te laat)" if line.overdue else "")


def _footer(base_url: str) -> tuple[str, str]:
    account = f"{base_url}/account"
    text = ("Dit bericht is automatisch verstuurd door de klachtenregeling; u kunt er niet op antwoorden.\n"
            f"Onder Mijn account ({account}) kiest u of u deze berichten los of eenmaal per dag als overzicht "
            "ontvangt.")
    html = ('<p style="color:#555;font-size:90%">Dit bericht is automatisch verstuurd door de klachtenregeling; '
            f'u kunt er niet op antwoorden. Onder <a href="{escape(account)}">Mijn account</a> kiest u of u deze '
            "berichten los of eenmaal per dag als overzicht ontvangt.</p>")
    return text, html


def _compose(subject: str, name: str, intro: str, lines: list[TaskLine], base_url: str,
             link_label: str = "Open de taak") -> Mail:
    """A mail that greets name, says intro and lists the tasks (reference, task, due date, link)."""
    footer_text, footer_html = _footer(base_url)
    text = [f"Geachte {name},", "", intro, ""]
    html = [f"<p>Geachte {escape(name)},</p>", f"<p>{escape(intro)}</p>"]
    for line in lines:
        text += [f"Klacht: {line.reference}", f"Taak: {line.task_name}", f"Termijn: {_due(line)}",
                 f"{link_label}: {line.url}", ""]
        html.append(
            '<table role="presentation" style="border-collapse:collapse;margin:0 0 1em">'
            f'<tr><th style="text-align:left;padding:2px 12px 2px 0">Klacht</th><td>{escape(line.reference)}</td></tr>'
            f'<tr><th style="text-align:left;padding:2px 12px 2px 0">Taak</th><td>{escape(line.task_name)}</td></tr>'
            f'<tr><th style="text-align:left;padding:2px 12px 2px 0">Termijn</th><td>{escape(_due(line))}</td></tr>'
            f'<tr><td colspan="2"><a href="{escape(line.url)}">{escape(link_label)}</a></td></tr></table>'
        )
    text += ["Met vriendelijke groet,", SIGNATURE, "", footer_text]
    html += [f"<p>Met vriendelijke groet,<br>{SIGNATURE}</p>", footer_html]
    page = ('<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>{escape(subject)}</title></head><body>" + "".join(html) + "</body></html>")
    return Mail(subject, "\n".join(text) + "\n", page)


def task_assigned(name: str, line: TaskLine, base_url: str) -> Mail:
    """The mail to whom a task has become theirs."""
    return _compose(f"Nieuwe taak: {line.task_name} ({line.reference})", name,
                    "Er staat een nieuwe taak voor u klaar in de klachtenregeling.", [line], base_url)


def reminder(name: str, line: TaskLine, days_left: int, base_url: str) -> Mail:
    """The mail some days before a task's due date."""
    when = {0: "vandaag", 1: "morgen"}.get(days_left, f"over {days_left} dagen")
    return _compose(f"Herinnering: {line.task_name} ({line.reference}) uiterlijk {nl_date(line.due_on)}", name,
                    f"De termijn van deze taak verloopt {when}. Wilt u de taak op tijd afronden?", [line], base_url)


def deadline_passed(name: str, reference: str, deadline: str, due_on: date, url: str, base_url: str) -> Mail:
    """The mail to the practice when a deadline has passed unmet."""
    subject = f"Termijn verstreken: {deadline} ({reference})"
    intro = (f"De termijn \u201c{deadline}\u201d van klacht {reference} is verstreken: de uiterste datum was "
             f"{nl_date(due_on)}. Er is nog niet aan voldaan.")
    footer_text, footer_html = _footer(base_url)
    text = "\n".join([f"Geachte {name},", "", intro, "", f"Open de klacht: {url}", "", "Met vriendelijke groet,",
                      SIGNATURE, "", footer_text]) + "\n"
    html = ('<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>{escape(subject)}</title></head><body>"
            f"<p>Geachte {escape(name)},</p><p>{escape(intro)}</p>"
            f'<p><a href="{escape(url)}">Open de klacht</a></p>'
            f"<p>Met vriendelijke groet,<br>{SIGNATURE}</p>{footer_html}</body></html>")
    return Mail(subject, text, html)


def digest(name: str, day: date, lines: list[TaskLine], base_url: str) -> Mail:
    """The daily overview of a user's open tasks."""
    count = "1 open taak" if len(lines) == 1 else f"{len(lines)} open taken"
    return _compose(f"Uw taken in de klachtenregeling op {nl_date(day)}", name,
                    f"U heeft {count} in de klachtenregeling:", lines, base_url)


def _page(subject: str, paragraphs_html: list[str]) -> str:
    return ('<!doctype html><html lang="nl"><head><meta charset="utf-8">'
            f"<title>{escape(subject)}</title></head><body>" + "".join(paragraphs_html) + "</body></html>")


def practice_notice(name: str, subject: str, intro: str, url: str, base_url: str) -> Mail:
    """A mail to the practice or the handler about a complaint (filed online, a message, a withdrawal): the
    sentence, the reference in it and the link, nothing of the case."""
    footer_text, footer_html = _footer(base_url)
    text = "\n".join([f"Geachte {name},", "", intro, "", f"Open de klacht: {url}", "", "Met vriendelijke groet,",
                      SIGNATURE, "", footer_text]) + "\n"
    html = _page(subject, [f"<p>Geachte {escape(name)},</p>", f"<p>{escape(intro)}</p>",
                           f'<p><a href="{escape(url)}">Open de klacht</a></p>',
                           f"<p>Met vriendelijke groet,<br>{SIGNATURE}</p>", footer_html])
    return Mail(subject, text, html)


def letter_ready(salutation: str, reference: str, letter: str, status_url: str) -> Mail:
    """The mail to the complainant that a letter is ready on their status page (the letter stays behind the link)."""
    subject = f"Er staat een brief voor u klaar ({reference})"
    intro = f"Over uw klacht met kenmerk {reference} staat een brief voor u klaar: {letter}."
    how = "U leest en downloadt de brief op uw persoonlijke statuspagina:"
    private = ("Deze link is persoonlijk: iedereen die hem heeft, kan de stand van uw klacht en de brieven zien. "
               "Stuur deze e-mail daarom niet door.")
    note = ("Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden. Een bericht sturen kan via de "
            "statuspagina.")
    text = "\n".join([salutation, "", intro, "", how, status_url, "", private, "", "Met vriendelijke groet,",
                      SIGNATURE, "", note]) + "\n"
    html = _page(subject, [f"<p>{escape(salutation)}</p>", f"<p>{escape(intro)}</p>",
                           f'<p>{escape(how)}<br><a href="{escape(status_url)}">Naar uw statuspagina</a></p>',
                           f"<p>{escape(private)}</p>", f"<p>Met vriendelijke groet,<br>{SIGNATURE}</p>",
                           f'<p style="color:#555;font-size:90%">{escape(note)}</p>'])
    return Mail(subject, text, html)

"""A task's page shows what the decision is about: the coach's summary, and the earlier round of a loop (issue 16)."""

import html
from urllib.parse import parse_qs, urlsplit

from test_web import as_user
from web_helpers import login, text


def _task_page(client, cases, complaint, task, user):
    as_user(client, user)
    page = text(client.get(f"/taken/{cases.open_task(complaint, task)['id']}"))
    return html.unescape(page)


def _above_the_form(page):
    return page[page.index('<h1>'):page.index('<form method="post" action="/taken/')]


def test_the_coach_sees_the_summary_of_their_reaction_in_full_above_the_form(client, cases):
    summary = ("De coach erkent dat twee afspraken zijn verzet.\nZij betwist dat de klager daarover niet is "
               "ingelicht: beide keren is een e-mail gestuurd.")
    complaint = cases.make(at_task="hear_coach")
    cases.complete(complaint, "hear_coach", coach_reaction_summary=summary)
    page = _task_page(client, cases, complaint, "coach_agreement", "coach")
    top = _above_the_form(page)
    assert "De samenvatting waarover u beslist" in top and summary in top


def test_a_second_hearing_opens_with_the_previous_summary_and_the_coachs_remarks(client, cases):
    complaint = cases.make(at_task="hear_coach")
    cases.complete(complaint, "hear_coach", coach_reaction_summary="Eerste samenvatting.")
    cases.complete(complaint, "coach_agreement", agrees=False, remarks="Ik heb wel gebeld, dat ontbreekt.")
    page = _task_page(client, cases, complaint, "hear_coach", "behandelaar")
    top = _above_the_form(page)
    assert "De vorige ronde" in top
    assert "Eerste samenvatting." in top and "Ik heb wel gebeld, dat ontbreekt." in top
    form = page[page.index('<form method="post" action="/taken/'):]
    assert "Eerste samenvatting.</textarea>" in form  # the new summary starts from the previous one


def test_the_first_hearing_has_no_previous_round(client, cases):
    complaint = cases.make(at_task="hear_coach")
    page = _task_page(client, cases, complaint, "hear_coach", "behandelaar")
    assert "De vorige ronde" not in page


def test_a_second_decision_shows_the_refused_offer_and_the_complainants_reaction(client, cases):
    complaint = cases.make(at_task="decide_measures")
    assert "Het vorige aanbod" not in _task_page(client, cases, complaint, "decide_measures", "behandelaar")
    cases.complete(complaint, "decide_measures", offer_description="Eén extra sessie.")
    cases.complete(complaint, "offer_call", complainant_satisfied=False,
                   complainant_reaction="Eén sessie is te weinig voor wat er misging.")
    cases.complete(complaint, "reconsider", next_step="new_offer", close_reason="")
    top = _above_the_form(_task_page(client, cases, complaint, "decide_measures", "behandelaar"))
    assert "Het vorige aanbod en de reactie van de klager" in top
    assert "Eén extra sessie." in top and "Eén sessie is te weinig voor wat er misging." in top
    assert '<dt>Is de klager tevreden met het aanbod?</dt><dd class="prewrap">nee</dd>' in top


def test_pages_name_people_not_usernames(client, cases, app):
    from service.extensions import db
    from service.models import User

    with app.app_context():
        db.session.execute(db.update(User).where(User.username == "behandelaar")
                           .values(display_name="Bea van den Berg"))
        db.session.commit()
    complaint = cases.make(at_task="coach_agreement")
    page = _task_page(client, cases, complaint, "coach_agreement", "coach")
    assert "Vastgelegd door Bea van den Berg op" in page and "Vastgelegd door behandelaar" not in page
    as_user(client, "praktijk")
    history = text(client.get(f"/klachten/{complaint['id']}"))
    history = history[history.index('id="history-heading"'):]
    assert '<td data-label="Wie">Bea van den Berg</td>' in history
    assert '<td data-label="Wie">behandelaar</td>' not in history


def test_the_history_says_what_was_decided(client, cases):
    complaint = cases.make(at_task="coach_agreement")
    cases.complete(complaint, "coach_agreement", agrees=False, remarks="Niet volledig.")
    as_user(client, "praktijk")
    page = text(client.get(f"/klachten/{complaint['id']}"))
    assert "Akkoord coach op samenvatting: de coach stemt niet in met de samenvatting" in page
    assert "Ontvankelijkheid beoordelen: in behandeling genomen" in page
    assert "Taak afgerond: Behandelaar aanstellen" in page  # a step that decides nothing told here


def test_every_page_has_a_favicon(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.get_data()


def test_letters_say_which_they_are_and_open_after_logging_in(app, client, cases, clock):
    complaint = cases.make(at_task="offer_call")
    cases.complete(complaint, "offer_call", complainant_satisfied=False, complainant_reaction="Te weinig.")
    cases.complete(complaint, "reconsider", next_step="new_offer", close_reason="")
    cases.complete(complaint, "decide_measures")
    cases.complete(complaint, "offer_call")
    as_user(client, "praktijk")
    page = text(client.get(f"/klachten/{complaint['id']}"))
    letters = page[page.index('id="letters-heading"'):]
    assert "Verslag telefoongesprek (eerste)" in letters and "Verslag telefoongesprek (tweede)" in letters
    assert "Ontvangstbevestiging (eerste)" not in letters
    link = letters[letters.index('href="/klachten/'):].split('"')[1]
    assert client.get(link).mimetype.endswith("wordprocessingml.document")
    visitor = app.test_client()  # not logged in: to the login page, and after logging in back to the letter
    away = visitor.get(link)
    location = urlsplit(away.headers["Location"])
    assert away.status_code == 302 and location.path == "/login"
    target = parse_qs(location.query)["next"][0]
    assert target == link
    back = login(visitor, "praktijk", next_page=target)
    assert back.status_code == 303 and back.headers["Location"] == link
    assert visitor.get(link).mimetype.endswith("wordprocessingml.document")

"""The lists a page at a time (CONTRACT.md "Lists"): limit, offset, order, X-Total-Count, Link; and who sees what."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import START, USERS
from sqlalchemy import select
from web_helpers import login, text

from service.complaints import access
from service.extensions import db
from service.models import Complaint, Task, User


def _follow(api, path, user="praktijk"):
    """Read a list page by page along its Link headers; return the pages' rows and totals."""
    pages = []
    while path:
        response = api.get(path, user=user)
        assert response.status_code == 200, response.get_json()
        pages.append((response.get_json(), int(response.headers["X-Total-Count"])))
        link = response.headers.get("Link")
        path = None
        if link:
            found = re.fullmatch(r'<(http://localhost)?([^>]+)>; rel="next"', link)
            assert found, link
            path = found.group(2)
    return pages


def test_complaints_come_a_page_at_a_time_newest_received_first(cases, api):
    received = ["2026-02-20", "2026-03-01", "2026-02-20", "2026-03-03", "2026-02-25"]
    made = [cases.register(received_on=day, dated_on="2026-02-01")["id"] for day in received]
    newest_first = [cid for _, cid in sorted(zip(received, made, strict=True), reverse=True)]
    everything = api.get("/api/complaints")
    assert [c["id"] for c in everything.get_json()] == newest_first
    assert everything.headers["X-Total-Count"] == "5" and "Link" not in everything.headers
    pages = _follow(api, "/api/complaints?limit=2")
    assert [len(rows) for rows, _ in pages] == [2, 2, 1]
    assert {total for _, total in pages} == {5}
    assert [c["id"] for rows, _ in pages for c in rows] == newest_first
    middle = api.get("/api/complaints?limit=2&offset=2")
    assert [c["id"] for c in middle.get_json()] == newest_first[2:4]
    assert parse_qs(urlsplit(middle.headers["Link"][1:].split(">")[0]).query) == {"limit": ["2"], "offset": ["4"]}
    past_the_end = api.get("/api/complaints?offset=9")
    assert past_the_end.get_json() == [] and past_the_end.headers["X-Total-Count"] == "5"


def test_the_next_link_keeps_the_filters(cases, api, app, clock):
    for _ in range(3):
        cases.register()
    cases.make()  # closed
    response = api.get("/api/complaints?status=open&limit=2")
    assert response.headers["X-Total-Count"] == "3"
    query = parse_qs(urlsplit(response.headers["Link"][1:].split(">")[0]).query)
    assert query == {"status": ["open"], "limit": ["2"], "offset": ["2"]}
    [(first, _), (second, _)] = _follow(api, "/api/complaints?status=open&limit=2")
    assert len(first) == 2 and len(second) == 1 and {c["status"] for c in first + second} == {"open"}


def test_tasks_come_a_page_at_a_time_earliest_due_first(cases, api):
    # appoint_handler is due with the acknowledgement: 14 days after receipt.
    received = ["2026-03-01", "2026-02-20", "2026-03-03", "2026-02-25"]
    made = [cases.register(received_on=day, dated_on="2026-02-01")["id"] for day in received]
    earliest_due_first = [cid for _, cid in sorted(zip(received, made, strict=True))]
    pages = _follow(api, "/api/tasks?limit=3")
    assert [len(rows) for rows, _ in pages] == [3, 1] and {total for _, total in pages} == {4}
    tasks = [t for rows, _ in pages for t in rows]
    assert [t["complaint_id"] for t in tasks] == earliest_due_first
    assert [t["due_on"] for t in tasks] == ["2026-03-06", "2026-03-11", "2026-03-15", "2026-03-17"]
    assert api.get("/api/tasks?limit=3").headers["Link"].endswith('?limit=3&offset=3>; rel="next"')


@pytest.mark.parametrize("query, field, message", [
    ("limit=0", "limit", "Kies een aantal van 1 tot en met 500."),
    ("limit=501", "limit", "Kies een aantal van 1 tot en met 500."),
    ("limit=tien", "limit", "Kies een aantal van 1 tot en met 500."),
    ("limit=-1", "limit", "Kies een aantal van 1 tot en met 500."),
    ("limit=", "limit", "Kies een aantal van 1 tot en met 500."),
    ("offset=-1", "offset", "Kies een getal van 0 tot en met 1000000000."),
    ("offset=1.5", "offset", "Kies een getal van 0 tot en met 1000000000."),
    ("offset=99999999999999999999999", "offset", "Kies een getal van 0 tot en met 1000000000."),
])
@pytest.mark.parametrize("path", ["/api/complaints", "/api/tasks"])
@pytest.mark.sqlite_only
def test_a_limit_or_offset_out_of_range_is_a_dutch_field_error(cases, api, path, query, field, message):
    cases.register()
    response = api.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {field: [message]}


def test_the_largest_page_is_500(cases, api):
    cases.register()
    response = api.get("/api/tasks?limit=500&offset=0")
    assert response.status_code == 200 and len(response.get_json()) == 1


def test_wrong_filters_and_paging_are_reported_together(api):
    response = api.get("/api/complaints?status=weg&limit=0")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"status", "limit"}


def test_the_task_list_applies_the_rules_of_may_complete_in_sql(app, cases, api, password_hash):
    """Every user's task list equals the open tasks may_complete allows them, also with several roles."""
    cases.make(at_task="send_acknowledgement")
    cases.make(at_task="coach_agreement", coach="coach2")
    cases.complete(cases.register(), "appoint_handler", handler_username="behandelaar2")
    cases.register(coach="coach2")
    with app.app_context():
        db.session.add(User(username="praktijkbehandelaar", display_name="Beide", password_hash=password_hash,
                            roles_text="handler,practice", created_at=START))
        db.session.commit()
        users = {name: db.session.scalar(select(User).where(User.username == name))
                 for name in [*USERS, "praktijkbehandelaar"]}
        every_open = db.session.scalars(select(Task).where(Task.state == "open")).all()
        allowed = {name: {t.id for t in every_open if access.may_complete(user, t, db.session.get(Complaint,
                                                                                              t.complaint_id))}
                   for name, user in users.items()}
    assert any(allowed.values()) and len({frozenset(ids) for ids in allowed.values()}) > 3
    for name, ids in allowed.items():
        listed = api.get("/api/tasks?limit=500", user=name).get_json()
        assert {t["id"] for t in listed} == ids, name


# ---------------------------------------------------------------- the pages


def test_my_tasks_shows_a_page_at_a_time_with_the_total(app, client, cases):
    app.config["TASKS_PER_PAGE"] = 2
    made = [cases.register(received_on=f"2026-03-0{day}", dated_on="2026-03-01")["reference"] for day in (3, 1, 2)]
    login(client, "praktijk")
    first = text(client.get("/taken"))
    assert "Open taken voor u <span class=\"count\">(3)</span>" in first
    assert made[1] in first and made[2] in first and made[0] not in first
    assert 'rel="next" href="/taken?pagina=2"' in first and "Pagina 1 van 2" in first
    second = text(client.get("/taken?pagina=2&sort=reference"))
    assert made[2] in second and made[0] not in second, "by reference: KL-2026-0003 comes last"
    assert 'rel="prev" href="/taken?pagina=1&sort=reference"' in second


def test_my_tasks_pages_the_overview_of_other_tasks_apart(app, client, cases):
    app.config["TASKS_PER_PAGE"] = 1
    cases.make(at_task="send_acknowledgement")
    cases.make(at_task="assess_admissibility")
    login(client, "eigenaar")
    page = text(client.get("/taken?pagina_andere=2"))
    assert "Alle andere open taken <span class=\"count\">(2)</span>" in page
    assert 'rel="prev" href="/taken?pagina_andere=1"' in page and "Pagina 2 van 2" in page
    assert "U heeft geen open taken." in page


def test_the_complaints_list_sorts_by_due_date_received_date_or_status(app, client, cases, clock):
    closed = cases.make()  # KL-2026-0001, nothing due any more
    early = cases.register(received_on="2026-02-20", dated_on="2026-02-20")  # KL-2026-0002, due 6 March
    late = cases.register()  # KL-2026-0003, received today: due 17 March
    login(client, "praktijk")

    def order(query):
        html = text(client.get(f"/klachten{query}"))
        return sorted((c["reference"] for c in (closed, early, late)), key=html.index)

    assert order("") == [late["reference"], closed["reference"], early["reference"]]  # same day: the later id first
    assert order("?sort=due") == [early["reference"], late["reference"], closed["reference"]]
    assert order("?sort=status") == [late["reference"], early["reference"], closed["reference"]]
    assert order("?sort=onzin") == order("")
    html = text(client.get("/klachten?sort=due"))
    assert '<option value="due" selected>termijn (eerstvolgende eerst)</option>' in html
    assert '<th scope="col" aria-sort="ascending">Termijn</th>' in html
    assert '<time datetime="2026-03-06">6 maart 2026</time>' in html


def test_the_api_sorts_complaints_by_due_date_or_status_and_pages_in_that_order(cases, api):
    closed = cases.make()["id"]  # nothing due any more
    early = cases.register(received_on="2026-02-20", dated_on="2026-02-20")["id"]  # due 6 March
    late = cases.register()["id"]  # received today: due 17 March

    def ids(query):
        return [c["id"] for rows, _ in _follow(api, f"/api/complaints?limit=1&{query}") for c in rows]

    assert ids("sort=due") == [early, late, closed]
    assert ids("sort=status") == [late, early, closed]
    assert ids("sort=received") == ids("") == [late, closed, early]
    assert "sort=due" in api.get("/api/complaints?limit=1&sort=due").headers["Link"]
    wrong = api.get("/api/complaints?sort=naam&limit=0")
    assert wrong.status_code == 422
    assert set(wrong.get_json()["errors"]) == {"sort", "limit"}
    assert "received, due, status" in wrong.get_json()["errors"]["sort"][0]


def test_sorting_by_status_pages_across_the_statuses(app, client, cases):
    app.config["COMPLAINTS_PER_PAGE"] = 2
    closed = [cases.make()["reference"] for _ in range(2)]
    open_ = [cases.register()["reference"] for _ in range(3)]
    login(client, "praktijk")

    def shown(query):
        html = text(client.get(f"/klachten{query}"))
        return sorted((ref for ref in open_ + closed if ref in html), key=html.index), html

    first, html = shown("?sort=status")
    assert first == open_[::-1][:2] and 'rel="next" href="/klachten?pagina=2&sort=status"' in html
    assert shown("?sort=status&pagina=2")[0] == [open_[0], closed[1]]
    assert shown("?sort=status&pagina=3")[0] == [closed[0]]
    assert shown("?sort=status&status=closed")[0] == closed[::-1]


def test_the_due_day_of_a_complaint_follows_its_deadlines(app, cases, api):
    complaint = cases.register()

    def due_on():
        with app.app_context():
            return db.session.get(Complaint, complaint["id"]).due_on

    assert due_on().isoformat() == "2026-03-17"  # the acknowledgement
    cases.walk(complaint, "appoint_handler", "send_acknowledgement")
    assert due_on().isoformat() == "2026-04-14"  # the call report, 42 days
    withdrawn = api.post(f"/api/complaints/{complaint['id']}/withdrawal",
                         {"withdrawn_on": "2026-03-03", "channel": "written"})
    assert withdrawn.status_code == 201, withdrawn.get_json()
    assert due_on() is None


def test_the_complaints_list_shows_each_complaints_current_step(app, client, cases):
    waiting = cases.make(at_task="hear_coach")
    closed = cases.make()
    login(client, "praktijk")
    html = text(client.get("/klachten"))
    assert '<th scope="col">Huidige stap</th>' in html
    row = html[html.index(waiting["reference"]):]
    assert row[:row.index("</tr>")].count("Reactie coach vastleggen") == 1
    row = html[html.index(closed["reference"]):]
    assert '<td data-label="Huidige stap"><span class="muted">–</span></td>' in row[:row.index("</tr>")]

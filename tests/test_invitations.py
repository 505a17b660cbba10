"""Invitations by e-mail: the outbox without a mail server, a real SMTP server (aiosmtpd) with one.

Each test follows what an editor does — send, change, cancel, delete — and reads what arrives:
headers, MIME parts (RFC 6047, Outlook), the calendar object (RFC 5546), the outbox and the audit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import icalendar
import pytest
from dateutil.relativedelta import WE, relativedelta
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.errors import ValidationError
from calsvc.invitations.settings import parse_smtp_url
from calsvc.models import AuditEntry, Gremium, MeetingSeries, Membership, OutboxMessage, Person

from .editing_support import csrf_from, login, make_token, make_user
from .mail_support import Inbox, calendar_parts, free_port, smtp_server

FIRST = date.today() + relativedelta(months=1, day=1, weekday=WE(1))  # a first Wednesday to come
START = datetime.combine(FIRST, time(17))
SECOND = START + relativedelta(months=1, day=1, weekday=WE(1))


@pytest.fixture
def office(app: Flask, run_cli: Any) -> dict[str, Any]:
    """IntB (lead, with e-mail), Int1 (e-mail) and Int2 (none) in a monthly Beirat; an editor with a token."""
    with app.app_context(), session_scope(app) as s:
        intb = Person(code="IntB", title="Integrationsbeauftragte", name="Irina Warkentin", email="intb@bezirk.example")
        int1 = Person(code="Int1", title="Koordination", name="Jonas Müller, Dr.", email="int1@bezirk.example")
        int2 = Person(code="Int2", title="Koordination (unbesetzt)")
        beirat = Gremium(slug="beirat", name="Beirat für Partizipation und Integration")
        beirat.memberships += [Membership(person=intb, role="lead"), Membership(person=int1), Membership(person=int2)]
        series = MeetingSeries(
            gremium=beirat,
            title="Beiratssitzung",
            dtstart=START,
            duration_minutes=120,
            rrule="FREQ=MONTHLY;BYDAY=1WE",
            location="BVV-Saal, Riesaer Straße 94",
        )
        s.add(series)
        s.flush()
        series_id = series.id
    make_user(run_cli)
    return {"series": series_id, "token": make_token(run_cli)}


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    """A real SMTP server, and the app set to deliver to it."""
    with smtp_server() as server:
        _use_smtp(app, server.url)
        yield server


def _use_smtp(app: Flask, url: str | None) -> None:
    app.config["CALSVC_SMTP_URL"] = url
    app.extensions.pop("calsvc.mail_settings", None)  # settings are read once per app


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _send(client: Any, office: dict[str, Any]) -> Any:
    answer = client.post(f"/api/v1/series/{office['series']}/invitations", headers=_auth(office["token"]))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


def _calendar(message: EmailMessage) -> icalendar.Calendar:
    _text, part, attachment = calendar_parts(message)
    assert part.get_content() == attachment.get_content().decode("utf-8")  # the same object twice
    return icalendar.Calendar.from_ical(part.get_content())


def _events(message: EmailMessage) -> list[icalendar.Event]:
    return list(_calendar(message).walk("VEVENT"))


def test_smtp_delivers_a_request_outlook_reads_as_a_meeting(client: Any, office: dict[str, Any], inbox: Inbox) -> None:
    result = _send(client, office)
    assert (result["queued"], result["sent"], result["failed"]) == (2, 2, 0)
    assert sorted(rcpt for _f, rcpts, _m in inbox.received for rcpt in rcpts) == [
        "int1@bezirk.example",
        "intb@bezirk.example",
    ]  # Int2 has no address: not invited, nothing refused
    sender, _to, message = next(r for r in inbox.received if r[1] == ["intb@bezirk.example"])
    assert sender == "integrationsbuero@marzahn-hellersdorf.invalid"
    assert message["From"].addresses[0].addr_spec == sender
    assert message["From"].addresses[0].display_name == "Integrationsbüro Marzahn-Hellersdorf"
    assert str(message["To"]) == "Irina Warkentin <intb@bezirk.example>"
    assert message["Subject"] == "Einladung: Beiratssitzung"
    text, part, _attachment = calendar_parts(message)
    assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"
    assert f"{FIRST:%d.%m.%Y}, 17:00–19:00 Uhr, BVV-Saal, Riesaer Straße 94" in text.get_content()
    calendar = _calendar(message)
    assert str(calendar["METHOD"]) == "REQUEST" and calendar.walk("VTIMEZONE")
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"series-{office['series']}@test.calsvc"  # the feeds' UID
    assert (
        event.start.replace(tzinfo=None) == START and str(event["RRULE"].to_ical().decode()) == "FREQ=MONTHLY;BYDAY=1WE"
    )
    assert str(event["ORGANIZER"]) == "mailto:integrationsbuero@marzahn-hellersdorf.invalid"
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    assert set(attendees) == {"mailto:intb@bezirk.example", "mailto:int1@bezirk.example"}
    lead = attendees["mailto:intb@bezirk.example"]
    assert (lead["ROLE"], lead["PARTSTAT"], lead["RSVP"], lead["CN"]) == (
        "CHAIR",
        "NEEDS-ACTION",
        "TRUE",
        "Irina Warkentin",
    )
    assert attendees["mailto:int1@bezirk.example"]["CN"] == "Jonas Müller, Dr."  # a comma, quoted in the line
    assert attendees["mailto:int1@bezirk.example"]["ROLE"] == "REQ-PARTICIPANT"
    assert int(event["SEQUENCE"]) == 0
    with client.application.app_context(), session_scope(client.application) as s:
        rows = s.scalars(select(OutboxMessage)).all()
        assert {r.status for r in rows} == {"sent"} and all(r.attempts == 1 and r.sent_at for r in rows)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "invite")).one()
        assert entry.actor == "erika" and entry.object_id == office["series"]
        assert entry.summary == "2 Einladung(en) an 2 Empfänger in den Postausgang gelegt"
        assert "Einladung an intb@bezirk.example (Version 0)" in json.loads(entry.changes)["invitations"][1]


def test_sending_twice_sends_nothing_new_and_a_change_sends_an_update(
    client: Any, office: dict[str, Any], inbox: Inbox
) -> None:
    _send(client, office)
    again = _send(client, office)
    assert again["queued"] == 0 and len(inbox.received) == 2  # idempotent
    etag = client.get(f"/api/v1/series/{office['series']}").headers["ETag"]
    moved = {
        "action": "move",
        "recurrence_id": SECOND.isoformat(),
        "new_start": (SECOND + timedelta(days=1)).isoformat(),
    }
    change = client.post(
        f"/api/v1/series/{office['series']}/exceptions",
        json=moved,
        headers=_auth(office["token"], **{"If-Match": etag}),
    )
    assert change.status_code == 200, change.json
    update = _send(client, office)
    assert update["queued"] == 2 and len(inbox.received) == 4
    message = inbox.received[-1][2]
    assert message["Subject"] == "Aktualisiert: Beiratssitzung"
    master, override = sorted(_events(message), key=lambda e: "RECURRENCE-ID" in e)
    assert int(master["SEQUENCE"]) > 0 and int(override["SEQUENCE"]) >= int(master["SEQUENCE"])
    assert override["RECURRENCE-ID"].dt.replace(tzinfo=None) == SECOND
    assert override.start.replace(tzinfo=None) == SECOND + timedelta(days=1)
    assert str(override["ORGANIZER"]) == str(master["ORGANIZER"]) and len(override["ATTENDEE"]) == 2


def test_a_cancelled_date_sends_a_cancel_of_that_instance(client: Any, office: dict[str, Any], inbox: Inbox) -> None:
    _send(client, office)
    etag = client.get(f"/api/v1/series/{office['series']}").headers["ETag"]
    cancel = {"action": "cancel", "recurrence_id": SECOND.isoformat(), "note": "Saal gesperrt"}
    headers = _auth(office["token"], **{"If-Match": etag})
    assert client.post(f"/api/v1/series/{office['series']}/exceptions", json=cancel, headers=headers).status_code == 200
    with client.application.app_context(), session_scope(client.application) as s:  # a newcomer since then
        s.scalars(select(Person).where(Person.code == "Int2")).one().email = "int2@bezirk.example"
    result = _send(client, office)
    assert result["queued"] == 5  # the updated REQUEST for the two, their CANCEL of the date; the newcomer's REQUEST
    newcomer = [m["Subject"] for _f, to, m in inbox.received if to == ["int2@bezirk.example"]]
    assert newcomer == ["Einladung: Beiratssitzung"]  # no CANCEL of a date never had
    by_subject = {m["Subject"]: m for _f, to, m in inbox.received[2:] if to == ["int1@bezirk.example"]}
    cancel_message = by_subject[f"Abgesagt: Beiratssitzung am {SECOND:%d.%m.%Y}"]
    _text, part, _a = calendar_parts(cancel_message)
    assert part.get_param("method") == "CANCEL"
    (event,) = _events(cancel_message)
    assert str(_calendar(cancel_message)["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event["RECURRENCE-ID"].dt.replace(tzinfo=None) == SECOND and "RRULE" not in event
    assert int(event["SEQUENCE"]) > 0 and str(event["ORGANIZER"]).endswith("@marzahn-hellersdorf.invalid")
    with client.application.app_context(), session_scope(client.application) as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "invite").order_by(AuditEntry.id.desc())
        ).first()
        assert (
            entry is not None
            and entry.summary == "3 Einladung(en) und 2 Absage(n) an 3 Empfänger in den Postausgang gelegt"
        )
        told = json.loads(entry.changes)["invitations"][1]
        assert f"Absage des Termins Mi, {SECOND:%d.%m.%Y}, 17:00 an int1@bezirk.example (Version 2)" in told
    (master,) = _events(by_subject["Aktualisiert: Beiratssitzung"])
    assert [d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts] == [SECOND]  # gone from the series too


def test_a_cancelled_series_sends_a_cancel_of_the_uid_once(client: Any, office: dict[str, Any], inbox: Inbox) -> None:
    _send(client, office)
    series_url = f"/api/v1/series/{office['series']}"
    etag = client.get(series_url).headers["ETag"]
    patch = client.patch(series_url, json={"status": "cancelled"}, headers=_auth(office["token"], **{"If-Match": etag}))
    assert patch.status_code == 200, patch.json
    assert _send(client, office)["queued"] == 2
    (event,) = _events(inbox.received[-1][2])
    assert "RECURRENCE-ID" not in event and str(event["STATUS"]) == "CANCELLED"
    assert inbox.received[-1][2]["Subject"] == "Abgesagt: Beiratssitzung"
    etag = client.get(series_url).headers["ETag"]
    assert client.delete(series_url, headers=_auth(office["token"], **{"If-Match": etag})).status_code == 204
    assert len(inbox.received) == 4  # they hold nothing any more: the delete has nothing to tell


def test_without_a_mail_server_the_page_fills_the_outbox_editors_read_and_download(
    client: Any, office: dict[str, Any]
) -> None:
    login(client)
    page = client.get(f"/bearbeiten/serien/{office['series']}")
    assert "Einladung senden" in page.get_data(as_text=True)
    assert "noch keine Einladung gesendet" in page.get_data(as_text=True)
    url = f"/bearbeiten/serien/{office['series']}/einladung"
    sent = client.post(url, data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "2 Nachricht(en) liegen im Postausgang (kein Mailserver eingerichtet)" in sent.get_data(as_text=True)
    again = client.post(url, data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "Nichts Neues zu senden" in again.get_data(as_text=True)
    history = again.get_data(as_text=True)  # the series page, with its change history
    assert "2 Einladung(en) an 2 Empfänger in den Postausgang gelegt" in history and "Einladungen" in history
    assert "0 versandt, 2 warten im Postausgang." in history
    assert client.post(url, data={}).status_code == 400  # no CSRF token, no mail
    outbox = client.get("/bearbeiten/postausgang").get_data(as_text=True)
    assert "kein Mailserver eingerichtet" in outbox and outbox.count("wartet") == 2
    assert "intb@bezirk.example" in outbox and "Erneut senden" not in outbox
    with client.application.app_context(), session_scope(client.application) as s:
        first = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
        assert first is not None and first.status == "pending" and first.attempts == 0
        first_id = first.id
    download = client.get(f"/bearbeiten/postausgang/{first_id}.eml")
    assert download.status_code == 200 and download.mimetype == "message/rfc822"
    assert f'filename="einladung-{first_id}.eml"' in download.headers["Content-Disposition"]
    message = message_from_bytes(download.data, policy=default)
    assert message["Subject"] == "Einladung: Beiratssitzung"
    assert str(_calendar(message)["METHOD"]) == "REQUEST"  # type: ignore[arg-type]
    assert client.get("/bearbeiten/postausgang/99999.eml").status_code == 404


def test_the_outbox_and_the_button_are_for_editors_only(client: Any, office: dict[str, Any], run_cli: Any) -> None:
    assert client.get("/bearbeiten/postausgang").status_code == 302  # to the login page
    make_user(run_cli, "leser", "viewer")
    login(client, "leser")
    assert client.get("/bearbeiten/postausgang").status_code == 403
    assert client.get("/api/v1/outbox").status_code == 401


def test_a_failed_delivery_is_kept_shown_and_sent_on_retry(app: Flask, client: Any, office: dict[str, Any]) -> None:
    port = free_port()
    _use_smtp(app, f"smtp://127.0.0.1:{port}")  # nobody listens there yet
    result = _send(client, office)
    assert (result["queued"], result["sent"], result["failed"]) == (2, 0, 2)
    login(client)
    page = client.get("/bearbeiten/postausgang").get_data(as_text=True)
    assert page.count("fehlgeschlagen</span> nach 1 Versuch(en): Verbindung zu 127.0.0.1") == 2
    series_page = client.get(f"/bearbeiten/serien/{office['series']}").get_data(as_text=True)
    assert "0 versandt, 0 warten im Postausgang, <strong>2 fehlgeschlagen</strong>." in series_page
    assert _send(client, office)["queued"] == 0  # failed is not forgotten, and not queued twice
    with smtp_server(port) as server:
        with app.app_context(), session_scope(app) as s:
            ids = list(s.scalars(select(OutboxMessage.id)))
        for message_id in ids:
            answer = client.post(
                f"/bearbeiten/postausgang/{message_id}/senden",
                data={"csrf_token": csrf_from(page)},
                follow_redirects=True,
            )
            assert "Versandt." in answer.get_data(as_text=True)
        assert len(server.received) == 2
    listing = client.get("/api/v1/outbox", headers=_auth(office["token"])).json["messages"]
    assert {(m["status"], m["attempts"]) for m in listing} == {("sent", 2)}


def test_no_participant_with_an_address_is_a_422_naming_the_field(client: Any, office: dict[str, Any]) -> None:
    with client.application.app_context(), session_scope(client.application) as s:
        for person in s.scalars(select(Person)):
            person.email = None
    answer = client.post(f"/api/v1/series/{office['series']}/invitations", headers=_auth(office["token"]))
    assert answer.status_code == 422 and answer.json["error"]["field"] == "participants"
    assert client.post(f"/api/v1/series/{office['series']}/invitations").status_code == 401
    with client.application.app_context(), session_scope(client.application) as s:
        assert s.scalars(select(OutboxMessage)).first() is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example:2525", ("mail.example", 2525, False, False, None, None)),
        ("smtp://u%40x:p%3Ass@mail.example?starttls=1", ("mail.example", 587, False, True, "u@x", "p:ss")),
        ("smtps://mail.example", ("mail.example", 465, True, False, None, None)),
    ],
)
def test_smtp_urls(url: str, expected: tuple[Any, ...]) -> None:
    target = parse_smtp_url(url)
    assert (target.host, target.port, target.tls, target.starttls, target.user, target.password) == expected
    assert "ss" not in repr(target).replace("smtps", "")  # the password never shows


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtps://h?starttls=1", "smtp://h?tls=1"])
def test_bad_smtp_urls_name_the_setting(url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_smtp_url(url)
    assert refused.value.field == "CALSVC_SMTP_URL"


def test_deleting_an_invited_series_on_the_page_leaves_its_cancel_in_the_outbox(
    client: Any, office: dict[str, Any]
) -> None:
    login(client)
    page = client.get(f"/bearbeiten/serien/{office['series']}")
    client.post(f"/bearbeiten/serien/{office['series']}/einladung", data={"csrf_token": csrf_from(page)})
    version = client.get(f"/api/v1/series/{office['series']}").json["version"]
    form = {"csrf_token": csrf_from(page), "version": str(version), "bestaetigt": "1"}  # deleting asks first
    assert client.post(f"/bearbeiten/serien/{office['series']}/loeschen", data=form).status_code == 302
    with client.application.app_context(), session_scope(client.application) as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [r.method for r in rows] == ["REQUEST", "REQUEST", "CANCEL", "CANCEL"]
        assert {r.subject for r in rows[2:]} == {"Abgesagt: Beiratssitzung"} and rows[2].recurrence_id is None
        assert s.get(MeetingSeries, office["series"]) is None  # gone, its CANCEL kept


def test_send_outbox_delivers_what_waited_for_a_mail_server(
    app: Flask, client: Any, office: dict[str, Any], run_cli: Any
) -> None:
    assert _send(client, office)["queued"] == 2  # no mail server yet: the outbox keeps them
    waiting = run_cli("send-outbox")
    assert waiting.exit_code == 0 and "2 Nachricht(en) bleiben im Postausgang" in waiting.output
    with smtp_server() as server:
        _use_smtp(app, server.url)
        result = run_cli("send-outbox")
        assert result.exit_code == 0, result.output
        assert "2 versandt, 0 fehlgeschlagen, 0 noch im Postausgang." in result.output
        assert sorted(to[0] for _f, to, _m in server.received) == ["int1@bezirk.example", "intb@bezirk.example"]
        assert run_cli("send-outbox").output.startswith("0 versandt")  # nothing twice


def test_a_person_taken_off_gets_a_cancel_and_when_back_the_invitation_again(
    client: Any, office: dict[str, Any], inbox: Inbox
) -> None:
    _send(client, office)

    def membership(present: bool) -> None:
        with client.application.app_context(), session_scope(client.application) as s:
            beirat = s.scalars(select(Gremium)).one()
            int1 = s.scalars(select(Person).where(Person.code == "Int1")).one()
            if present:
                beirat.memberships.append(Membership(person=int1))
            else:
                beirat.memberships.remove(next(m for m in beirat.memberships if m.person_id == int1.id))

    membership(False)
    assert _send(client, office)["queued"] == 2  # IntB: the attendee list changed; Int1: taken off
    by_person = {to[0]: m for _f, to, m in inbox.received[2:]}
    assert by_person["intb@bezirk.example"]["Subject"] == "Aktualisiert: Beiratssitzung"
    (update,) = _events(by_person["intb@bezirk.example"])
    assert [str(a) for a in [update["ATTENDEE"]]] == ["mailto:intb@bezirk.example"]
    cancel = by_person["int1@bezirk.example"]
    assert cancel["Subject"] == "Abgesagt: Beiratssitzung"
    (event,) = _events(cancel)
    assert str(_calendar(cancel)["METHOD"]) == "CANCEL" and "RECURRENCE-ID" not in event
    assert int(event["SEQUENCE"]) == 1  # one above the REQUEST it takes back
    assert _send(client, office)["queued"] == 0
    membership(True)
    assert _send(client, office)["queued"] == 2  # the first REQUEST again: new to both since
    back = {to[0]: m["Subject"] for _f, to, m in inbox.received[4:]}
    assert back == {
        "int1@bezirk.example": "Einladung: Beiratssitzung",
        "intb@bezirk.example": "Aktualisiert: Beiratssitzung",
    }


def test_a_deleted_extra_date_is_cancelled_for_those_who_had_it(
    client: Any, office: dict[str, Any], inbox: Inbox
) -> None:
    series_url = f"/api/v1/series/{office['series']}"
    etag = client.get(series_url).headers["ETag"]
    extra = {"start": (START + timedelta(days=14)).isoformat(), "confirm_conflicts": True}
    added = client.post(f"{series_url}/extra-dates", json=extra, headers=_auth(office["token"], **{"If-Match": etag}))
    assert added.status_code == 201, added.json
    assert _send(client, office)["queued"] == 4  # the series and the extra date, to both
    (extra_id,) = [x["id"] for x in added.json["extra_dates"]]
    etag = client.get(series_url).headers["ETag"]
    removed = client.delete(
        f"{series_url}/extra-dates/{extra_id}", headers=_auth(office["token"], **{"If-Match": etag})
    )
    assert removed.status_code == 204
    result = _send(client, office)
    cancels = [m for m in result["messages"] if m["method"] == "CANCEL"]
    assert {m["uid"] for m in cancels} == {f"extra-{extra_id}@test.calsvc"} and len(cancels) == 2
    (event,) = _events(inbox.received[-1][2])
    assert event.start.replace(tzinfo=None) == START + timedelta(days=14) and str(event["STATUS"]) == "CANCELLED"


def test_the_page_names_what_is_missing_and_viewers_cannot_send(
    client: Any, office: dict[str, Any], run_cli: Any
) -> None:
    with client.application.app_context(), session_scope(client.application) as s:
        for person in s.scalars(select(Person)):
            person.email = None
    login(client)
    page = client.get(f"/bearbeiten/serien/{office['series']}")
    url = f"/bearbeiten/serien/{office['series']}/einladung"
    answer = client.post(url, data={"csrf_token": csrf_from(page)}, follow_redirects=True).get_data(as_text=True)
    assert "Einladung nicht gesendet: Keine Teilnehmenden mit E-Mail-Adresse" in answer
    make_user(run_cli, "leser", "viewer")
    viewer = client.application.test_client()
    assert login(viewer, "leser").status_code == 302
    token = csrf_from(viewer.get("/feeds/"))  # the logout form in the header carries one
    assert viewer.post(url, data={"csrf_token": token}).status_code == 403


def test_an_external_guest_is_invited_like_a_colleague(client: Any, office: dict[str, Any], inbox: Inbox) -> None:
    """Guests of the series (name, e-mail, organisation) get the same REQUEST as the internal people."""
    version = client.get(f"/api/v1/series/{office['series']}").json["version"]
    guest = {"name": "Anna Gast", "email": "anna@verein.example", "organisation": "Verein Miteinander"}
    changed = client.patch(
        f"/api/v1/series/{office['series']}",
        json={"guests": [guest]},
        headers=_auth(office["token"], **{"If-Match": f'"{version}"'}),
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    result = _send(client, office)
    assert result["failed"] == 0
    received = {rcpts[0]: message for _f, rcpts, message in inbox.received}
    assert set(received) == {"intb@bezirk.example", "int1@bezirk.example", "anna@verein.example"}
    attendees = {str(a): a.params for a in _events(received["anna@verein.example"])[0]["ATTENDEE"]}
    assert attendees["mailto:anna@verein.example"]["CN"] == "Anna Gast"
    assert attendees["mailto:anna@verein.example"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["mailto:intb@bezirk.example"]["ROLE"] == "CHAIR"


def _attendance(client: Any, office: dict[str, Any], **change: Any) -> None:
    """ "Nur an diesem Termin" through the API, as the form does it."""
    url = f"/api/v1/series/{office['series']}"
    headers = _auth(office["token"], **{"If-Match": client.get(url).headers["ETag"]})
    answer = client.post(f"{url}/attendance", json={"confirm_conflicts": True, **change}, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)


def test_someone_of_one_date_only_is_invited_to_that_date_with_the_uid_of_their_feed(
    client: Any, office: dict[str, Any], inbox: Inbox
) -> None:
    """A colleague and a guest added to the second date get that date; a colleague who misses it gets an EXDATE."""
    with client.application.app_context(), session_scope(client.application) as s:
        s.add(Person(code="BA", title="Büroassistenz", name="Bea Assistenz", email="ba@bezirk.example"))
    _send(client, office)
    _attendance(client, office, recurrence_id=SECOND.isoformat(), action="add", person="BA")
    _attendance(client, office, recurrence_id=SECOND.isoformat(), action="add", name="Gil Gast", email="gil@x.example")
    _attendance(client, office, recurrence_id=SECOND.isoformat(), action="remove", person="Int1")
    _send(client, office)
    received = {to[0]: m for _f, to, m in inbox.received[2:]}
    assert set(received) == {"intb@bezirk.example", "int1@bezirk.example", "ba@bezirk.example", "gil@x.example"}
    single = f"series-{office['series']}-{SECOND:%Y%m%dT%H%M}@test.calsvc"  # as in BA's personal feed
    for newcomer in ("ba@bezirk.example", "gil@x.example"):
        assert received[newcomer]["Subject"] == "Einladung: Beiratssitzung"
        (event,) = _events(received[newcomer])
        assert str(event["UID"]) == single and "RRULE" not in event and "RECURRENCE-ID" not in event
        assert event.start.replace(tzinfo=None) == SECOND and event.end - event.start == timedelta(hours=2)
        attendees = {str(a) for a in event["ATTENDEE"]}
        assert {"mailto:intb@bezirk.example", f"mailto:{newcomer}"} <= attendees
    (missing,) = _events(received["int1@bezirk.example"])
    assert [d.dt.replace(tzinfo=None) for d in missing["EXDATE"].dts] == [SECOND]
    (lead,) = _events(received["intb@bezirk.example"])
    assert "EXDATE" not in lead and str(lead["UID"]) == f"series-{office['series']}@test.calsvc"
    assert _send(client, office)["queued"] == 0  # idempotent per view too

    with client.application.app_context(), session_scope(client.application) as s:
        series = s.get(MeetingSeries, office["series"])
        assert series is not None
        added = next(a.id for a in series.attendance if a.person is not None and a.person.code == "BA")
    _attendance(client, office, recurrence_id=SECOND.isoformat(), action="undo", change=added)
    result = _send(client, office)
    withdrawn = [m for m in result["messages"] if m["recipient"] == "ba@bezirk.example"]
    assert [(m["method"], m["uid"]) for m in withdrawn] == [("CANCEL", single)]  # BA no longer comes
    assert "gil@x.example" not in {m["recipient"] for m in result["messages"] if m["method"] == "CANCEL"}

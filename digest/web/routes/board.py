"""The edition board: an edition's items to curate (order, pins, exclusions, ledes, quotes, subject,
intro, articles added by URL), its live preview, and its approval and send. Each change is a POST
that calls the editions service: htmx gets the re-rendered board back (and the preview is told to
follow, by the `edition-changed` event), a browser without JavaScript a 303 back to the board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from digest.audience import segments
from digest.domain import Actor, EditionStatus, Permission, Session, User
from digest.editions import lifecycle, service
from digest.editions.board import Board
from digest.editions.curate import CURATION_OPS
from digest.editions.preview import SCHEMES, WIDTHS, in_scheme
from digest.errors import Busy, DigestError, Invalid, Unavailable
from digest.render import BUDGET
from digest.web.auth import CurrentSession, CurrentUser
from digest.web.deps import Site, SiteDep, client
from digest.web.errors import status_of
from digest.web.policy import BOARD, ITEM

MAIL_HEADERS = {  # the mail as a subscriber gets it, framed by the board only: its styles are inline
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
}

router = APIRouter()


def _view(width: str | None, scheme: str | None) -> dict[str, Any]:
    """The preview's width and colour scheme, as asked (a value not offered falls back)."""
    wide = int(width) if width and width.isdigit() and int(width) in WIDTHS else WIDTHS[-1]
    return {"width": wide, "scheme": scheme if scheme in SCHEMES else SCHEMES[0]}


def _may(user: User, list_id: str) -> dict[str, bool]:
    permissions = (Permission.CURATE, Permission.APPROVE, Permission.SEND, Permission.TEST_SEND)
    return {p.value: user.may(p, list_id) for p in permissions}


def _render(
    site: Site,
    request: Request,
    user: User,
    session: Session,
    edition_id: int,
    template: str = "board.html",
    status: int = 200,
    board: Board | None = None,
    **context: Any,
) -> HTMLResponse:
    board = board or service.board(site.engine, site.settings, edition_id)
    lst = site.settings.get_list(board.edition.list_id)
    context.setdefault("view", _view(request.query_params.get("width"), request.query_params.get("scheme")))
    if template == "board.html":
        context["mail"] = service.mail(site.engine, site.settings, edition_id)
    if template in ("board.html", "_board.html"):  # who it goes to: the list, or one of its segments
        context["segments"] = segments.sized(site.audience, board.edition.list_id)
    return site.newsroom.render(
        request,
        template,
        user=user,
        session=session,
        status=status,
        board=board,
        list=lst,
        send=board.send,
        may=_may(user, board.edition.list_id),
        editable=board.edition.status in lifecycle.EDITABLE,
        url=BOARD.format(edition_id=edition_id),
        budget=BUDGET,
        zone=ZoneInfo(lst.timezone),  # times are shown in the list's own time zone
        fragment=template == "_board.html",
        **context,
    )


def _answer(
    site: Site,
    request: Request,
    user: User,
    session: Session,
    edition_id: int,
    said: dict[str, str] | None,
    error: DigestError | None = None,
    kept: dict[str, str] | None = None,
) -> Response:
    """After a change: htmx gets the board (the preview told to follow), a plain form a 303 back to
    the board; a refused change re-renders the board with the reason, under the error's status, and
    the editor's own text (`kept`) back in its field."""
    fragment = bool(request.headers.get("hx-request"))
    status = status_of(error) if error else 200
    if error is None and not fragment:
        return RedirectResponse(BOARD.format(edition_id=edition_id), status_code=303)
    page = _render(
        site, request, user, session, edition_id, "_board.html" if fragment else "board.html", status,
        said=None if error else said, error=str(error) if error else None, kept=kept if error else None,
    )  # fmt: skip
    if error is None:
        page.headers["HX-Trigger"] = "edition-changed"
    return page


@router.get(BOARD, response_class=HTMLResponse)
def board_page(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> HTMLResponse:
    fragment = bool(request.headers.get("hx-request"))  # a send settled: the board follows
    return _render(site, request, user, session, edition_id, "_board.html" if fragment else "board.html")


def _int(name: str, raw: str) -> int:
    if not raw.strip().lstrip("-").isdigit():
        raise Invalid(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


class ChangeForm(BaseModel):
    """One change as the board's forms send it (every field text, as forms have it)."""

    op: str = Field("", max_length=20)
    article_id: str = Field("", max_length=20)
    position: str = Field("", max_length=20)
    text: str = Field("", max_length=20_000)
    index: str = Field("", max_length=20)
    url: str = Field("", max_length=2_000)
    speaker: str = Field("", max_length=300)
    on: str = Field("", max_length=5)
    seen: str = Field("", max_length=20)  # the last change-log entry the editor's board showed

    def args(self) -> dict[str, Any]:
        """The change's arguments as the service takes them."""
        if self.op not in CURATION_OPS:
            raise Invalid(f"unknown change {self.op!r}; one of {', '.join(CURATION_OPS)}")
        if self.op in ("subject", "intro"):
            return {"text": self.text}
        if self.op == "add":
            if not self.url.strip():
                raise Invalid("give the address (URL) of the article to add")
            return {"url": self.url.strip()}
        args: dict[str, Any] = {"article_id": _int("article_id", self.article_id)}
        if self.op == "move":
            args["position"] = _int("position", self.position)
        elif self.op == "lede":
            args["text"] = self.text
        elif self.op == "quote":
            args["index"] = None if self.index in ("", "none") else _int("index", self.index)
        elif self.op == "quote_text":
            args |= {"text": self.text, "speaker": self.speaker.strip() or None}
        elif self.op == "paraphrase":
            args["on"] = self.on == "1"
        return args


@router.post(BOARD + "/changes")
def change(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    form: Annotated[ChangeForm, Form()],
) -> Response:
    said = {"op": form.op, "article_id": form.article_id, "position": form.position}
    try:
        actor = Actor.of(user, client(request))
        seen = _int("seen", form.seen) if form.seen else None
        service.change(site.engine, site.settings, edition_id, actor, form.op, seen, **form.args())
    except DigestError as exc:
        kept = {"op": form.op, "article_id": form.article_id, "text": form.text, "speaker": form.speaker}
        return _answer(site, request, user, session, edition_id, None, exc, kept)
    return _answer(site, request, user, session, edition_id, said)


@router.get(BOARD + "/preview", response_class=HTMLResponse)
def preview_panel(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> HTMLResponse:
    """The preview beside the board: the mail's size against the budget, its frame, its text part."""
    mail = service.mail(site.engine, site.settings, edition_id)
    return _render(site, request, user, session, edition_id, "_preview.html", mail=mail)


@router.get(ITEM + "/source", response_class=HTMLResponse)
def source_panel(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    article_id: int,
) -> HTMLResponse:
    """An item's article beside its brief, the lede and the quotes marked: the panel for htmx, else
    the board with the panel open in its item."""
    found = service.source(site.engine, edition_id, article_id)
    template = "_source.html" if request.headers.get("hx-request") else "board.html"
    return _render(site, request, user, session, edition_id, template, source=found)


@router.get(ITEM + "/passage", response_class=HTMLResponse)
def passage_form(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    article_id: int,
    text: Annotated[str, Query(max_length=20_000)] = "",
    use: Annotated[str, Query(alias="as", max_length=10)] = "quote",
) -> HTMLResponse:
    """A passage selected (or pasted) in the article, made the lede or the quote (its speaker proposed):
    the form that saves it, for htmx in the panel, else on the board with the panel open."""
    context: dict[str, Any] = {"article_id": article_id, "use": "lede" if use == "lede" else "quote"}
    status = 200
    try:
        context["passage"] = service.passage(site.engine, edition_id, article_id, text)
    except Invalid as exc:
        context["passage_error"], status = str(exc), status_of(exc)
    if request.headers.get("hx-request"):
        return _render(site, request, user, session, edition_id, "_passage.html", status, **context)
    found = service.source(site.engine, edition_id, article_id)
    return _render(site, request, user, session, edition_id, "board.html", status, source=found, **context)


@router.get(BOARD + "/mail", response_class=HTMLResponse)
def mail(site: SiteDep, edition_id: int, scheme: str = "light") -> HTMLResponse:
    """The mail exactly as rendered for a subscriber, for the preview's sandboxed frame, in a light
    or a dark reader's colours."""
    html = service.mail(site.engine, site.settings, edition_id).html
    return HTMLResponse(in_scheme(html, scheme), headers=MAIL_HEADERS)


@router.get(BOARD + "/checks", response_class=HTMLResponse)
def checks_panel(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> HTMLResponse:
    """The checks before sending (links asked over the network, so the board loads them after
    itself): a summary, and each failed check placed next to its item (out of band, for htmx)."""
    found = service.checks(site.engine, site.settings, edition_id)
    return _render(site, request, user, session, edition_id, "_checks.html", checks=found)


@router.get(BOARD + "/search", response_class=HTMLResponse)
def search(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int, q: str = ""
) -> HTMLResponse:
    """Stored articles of the edition's list matching the words, each with a button that adds it."""
    list_id = site.list_of_edition(edition_id)
    try:
        found = service.search_articles(site.engine, site.settings, q[:200], list_id) if q.strip() else []
        error = None
    except DigestError as exc:
        found, error = [], str(exc)
    return _render(
        site, request, user, session, edition_id, "_search.html", found=found, q=q, search_error=error
    )


@router.post(BOARD + "/audience")
def audience(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    segment: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Send the edition to the whole list (no segment) or to one of its segments; before approval
    (an approved edition goes back to draft)."""

    def chosen(actor: Actor) -> object:
        segment_id = _int("segment", segment) if segment else None
        return service.choose_segment(site.engine, edition_id, segment_id, actor)

    return _act(site, request, user, session, edition_id, "audience", chosen)


@router.post(BOARD + "/test-send")
def test_send(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> Response:
    """A test to the signed-in user's own address and the list's seed addresses."""
    sent: list[str] = []

    def tested(actor: Actor) -> None:
        results = service.test_send(site.engine, site.settings, edition_id, actor)
        refused = [f"{r.address} ({r.reason})" for r in results if not r.accepted]
        if refused:
            raise Unavailable("the test did not go to " + ", ".join(refused))
        sent.extend(r.address for r in results)

    try:
        tested(Actor.of(user, client(request)))
    except DigestError as exc:
        return _answer(site, request, user, session, edition_id, None, exc)
    return _answer(site, request, user, session, edition_id, {"op": "test-send", "to": ", ".join(sent)})


# Approval and sending: an editor submits, a publisher approves, schedules, sends, pauses, cancels.


@router.post(BOARD + "/submit")
def submit(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> Response:
    return _act(site, request, user, session, edition_id, "submit",
                lambda actor: service.submit(site.engine, edition_id, actor))  # fmt: skip


@router.post(BOARD + "/approve")
def approve(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> Response:
    return _act(site, request, user, session, edition_id, "approve",
                lambda actor: service.transition(site.engine, edition_id, EditionStatus.APPROVED, actor))  # fmt: skip


@router.post(BOARD + "/schedule")
def schedule(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    def scheduled(actor: Actor) -> object:
        zone = site.settings.get_list(site.list_of_edition(edition_id) or "").timezone
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            raise Invalid(f"the time to send {at!r} is not a date and time (YYYY-MM-DD HH:MM)") from None
        when = when if when.tzinfo else when.replace(tzinfo=ZoneInfo(zone))  # the list's own time zone
        return service.schedule(site.engine, edition_id, when, actor)

    return _act(site, request, user, session, edition_id, "schedule", scheduled)


@router.post(BOARD + "/send")
def send_now(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    background: BackgroundTasks,
) -> Response:
    def started(actor: Actor) -> object:
        edition = service.send_now(site.engine, edition_id, actor)
        background.add_task(_send, site, edition_id)  # after the answer: the board polls its progress
        return edition

    return _act(site, request, user, session, edition_id, "send", started)


def _send(site: Site, edition_id: int) -> None:
    try:
        service.send(site.engine, site.settings, edition_id, site.audience.mail.links)
    except Busy:  # another process (`digest serve`'s dispatch) is sending it: the progress shows it
        pass


@router.post(BOARD + "/pause")
def pause(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> Response:
    return _act(site, request, user, session, edition_id, "pause",
                lambda actor: service.pause(site.engine, edition_id, actor))  # fmt: skip


@router.post(BOARD + "/resume")
def resume(
    site: SiteDep,
    request: Request,
    user: CurrentUser,
    session: CurrentSession,
    edition_id: int,
    background: BackgroundTasks,
) -> Response:
    def resumed(actor: Actor) -> None:
        service.resume(site.engine, edition_id, actor)
        background.add_task(_send, site, edition_id)  # carry it on here, as `digest send` would

    return _act(site, request, user, session, edition_id, "resume", resumed)


@router.post(BOARD + "/cancel")
def cancel(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> Response:
    return _act(site, request, user, session, edition_id, "cancel",
                lambda actor: service.cancel(site.engine, edition_id, actor))  # fmt: skip


def _act(
    site: Site,
    request: Request,
    user: User,
    session: Session,
    edition_id: int,
    said: str,
    act: Callable[[Actor], object],
) -> Response:
    """Do one step of the approval or the send as the signed-in user, and answer as a change does."""
    try:
        act(Actor.of(user, client(request)))
    except DigestError as exc:
        return _answer(site, request, user, session, edition_id, None, exc)
    return _answer(site, request, user, session, edition_id, {"op": said})


@router.get(BOARD + "/progress", response_class=HTMLResponse)
def progress(
    site: SiteDep, request: Request, user: CurrentUser, session: CurrentSession, edition_id: int
) -> HTMLResponse:
    """A send's figures, polled every 2 s while it runs; once it has settled, the board is told."""
    board = service.board(site.engine, site.settings, edition_id)
    page = _render(site, request, user, session, edition_id, "_progress.html", board=board)
    if board.edition.status != EditionStatus.SENDING:  # the send is over: the board shows how it ended
        page.headers["HX-Trigger"] = "send-settled"
    return page

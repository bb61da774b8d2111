"""The authorization table: one rule for every route of the app, in one place.

The app refuses to start if a route has no rule (digest.web.app checks), and `authorize` runs
before every route: it finds the request's rule and lets it through, redirects a visitor who is
not signed in to the sign-in page, or answers 403. A rule that names a permission on a list takes
the list from the path (`{list_id}`), or from the edition the path names (`{edition_id}`), so an
editor limited to some lists is refused the others' editions. On a signed-in route, a form or an
htmx request that changes something must carry the session's CSRF token. A JSON API rule names a
token scope instead: the request needs a bearer token with it (digest.web.bearer), and no cookie counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from digest.domain import Permission

Scope = Literal["list", "edition"] | None


@dataclass(frozen=True)
class Rule:
    public: bool = False  # anyone: readers, mail clients, providers, monitors
    permission: Permission | None = None  # None on a non-public rule: any signed-in user
    scope: Scope = None  # where the list the permission applies to comes from
    second_factor_setup: bool = False  # open to a user who still has to set up a required second factor
    token_scope: str | None = None  # a JSON API route: a bearer token with this scope (digest.accounts.tokens)
    upload: bool = False  # a streamed upload: its route checks a form's CSRF field (digest.web.uploads)

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.token_scope:
            return f"API token with {self.token_scope}"
        on = f" on the {self.scope}'s list" if self.scope else ""
        return f"{self.permission or 'signed in'}{on}"


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()
SETUP = Rule(second_factor_setup=True)


def needs(permission: Permission, scope: Scope = None) -> Rule:
    return Rule(permission=permission, scope=scope)


def token(scope: str) -> Rule:
    return Rule(token_scope=scope)


BOARD = "/newsroom/editions/{edition_id}"
ITEM = BOARD + "/items/{article_id}"  # one item of the board: its article beside its brief
BOARD_ACTS = (  # what the board's POSTs do, and the permission each needs on the edition's list
    ("changes", Permission.CURATE),
    ("submit", Permission.CURATE),
    ("approve", Permission.APPROVE),
    ("schedule", Permission.APPROVE),
    ("send", Permission.SEND),
    ("pause", Permission.SEND),
    ("resume", Permission.SEND),
    ("cancel", Permission.SEND),
    ("test-send", Permission.TEST_SEND),
    ("audience", Permission.CURATE),  # the whole list, or one of its segments: chosen before approval
)

SUBSCRIBERS = "/admin/subscribers"
LISTS, SEGMENTS = "/admin/lists", "/admin/segments"
SUPPRESSIONS = "/admin/suppressions"
SUPPRESSION_PAGES = (("GET", ""), ("POST", ""), ("GET", "/{suppression_id}/remove"),
                     ("POST", "/{suppression_id}/remove"))  # fmt: skip
SOURCE_ACTS = (("POST", ""), ("GET", "/edit"), ("POST", "/edit"), ("POST", "/enabled"), ("POST", "/read"))
API = "/api/v1"  # the JSON API (digest.web.routes.api): bearer tokens, never the session cookie
USERS = "/admin/users"
USER_ACTS = ("/invite", "/second-factors", "/{user_id}", "/{user_id}/deactivate", "/{user_id}/reactivate",
             "/{user_id}/second-factor/reset", "/{user_id}/invite")  # fmt: skip
SUBSCRIBER_PAGES = ("", "/export.csv", "/bulk", "/{subscriber_id}", "/{subscriber_id}/privacy.json", "/{subscriber_id}/erase")
IMPORTS = "/admin/imports"  # a CSV uploaded, mapped and previewed, then imported as a job

# (method, path) -> rule. HEAD is answered as GET (digest.web.middleware.HeadAsGet).
RULES: dict[tuple[str, str], Rule] = {
    # the public pages: readers follow links from their mail
    ("GET", "/subscribe/{list_id}"): PUBLIC,
    ("POST", "/subscribe/{list_id}"): PUBLIC,
    ("GET", "/confirm/{token}"): PUBLIC,
    ("POST", "/confirm/{token}"): PUBLIC,
    ("POST", "/confirm/{token}/renew"): PUBLIC,
    ("GET", "/u/{token}"): PUBLIC,
    ("POST", "/u/{token}"): PUBLIC,
    ("GET", "/p/{token}"): PUBLIC,
    ("POST", "/p/{token}"): PUBLIC,
    ("GET", "/archive/{edition_id}"): PUBLIC,
    ("GET", "/archive/list/{list_id}"): PUBLIC,  # a public list's past editions (a private one: 404)
    ("GET", "/archive/list/{list_id}/feed.atom"): PUBLIC,
    ("GET", "/c/{token}"): PUBLIC,  # a story's tracked link: signed (edition, item), leads to that item's link only
    ("GET", "/o/{token}.gif"): PUBLIC,  # the open pixel: a signed reader token (edition, delivery)
    ("GET", "/review/{token}"): PUBLIC,  # signed link; a signed-in editor goes on to the board
    ("POST", "/webhooks/sendgrid"): PUBLIC,  # signed by SendGrid
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/static"): PUBLIC,  # the stylesheets and scripts
    ("GET", "/theme/{list_id}.css"): PUBLIC,  # a list's brand colour, for its pages
    # signing in
    ("GET", "/signin"): PUBLIC,
    ("POST", "/signin"): PUBLIC,
    ("GET", "/signin/code"): PUBLIC,  # the session that owes its second factor is checked there
    ("POST", "/signin/code"): PUBLIC,
    ("POST", "/signout"): SETUP,
    # a user's own account
    ("GET", "/account"): SETUP,
    ("POST", "/account/signout-everywhere"): SETUP,
    ("POST", "/account/second-factor"): SETUP,
    ("POST", "/account/second-factor/confirm"): SETUP,
    # the newsroom
    ("GET", "/newsroom"): SIGNED_IN,  # Today: it shows only the lists the user may read
    ("GET", "/newsroom/editions/{edition_id}/history"): needs(Permission.READ, "edition"),
    # what readers clicked, per source and tag, over the list's last editions (digest.web.routes.interest)
    ("GET", "/newsroom/lists/{list_id}/readers"): needs(Permission.CURATE, "list"),
    # the edition board (digest.web.routes.board): read it, curate it, approve and send it
    **{
        ("GET", BOARD + page): needs(Permission.READ, "edition")
        for page in ("", "/preview", "/mail", "/progress", "/checks")
    },
    ("GET", BOARD + "/search"): needs(Permission.CURATE, "edition"),  # what to add to the edition
    ("GET", ITEM + "/source"): needs(Permission.READ, "edition"),  # the article beside the brief
    ("GET", ITEM + "/passage"): needs(Permission.CURATE, "edition"),  # a passage of it as the lede or quote
    **{("POST", f"{BOARD}/{act}"): needs(permission, "edition") for act, permission in BOARD_ACTS},
    # what readers did with an edition (digest.web.routes.report): its report for those who may read
    # its list, the subscribers behind a figure for those who may see subscribers; a list's trend
    ("GET", BOARD + "/report"): needs(Permission.READ, "edition"),
    ("GET", BOARD + "/report/people"): needs(Permission.MANAGE_SUBSCRIBERS, "edition"),
    ("GET", "/newsroom/lists/{list_id}/trend"): needs(Permission.READ, "list"),
    # the admin console's subscribers (digest.web.routes.console): every list's people, so no list scope
    **{("GET", SUBSCRIBERS + page): needs(Permission.MANAGE_SUBSCRIBERS) for page in SUBSCRIBER_PAGES},
    ("POST", SUBSCRIBERS + "/{subscriber_id}/erase"): needs(Permission.MANAGE_SUBSCRIBERS),
    ("POST", SUBSCRIBERS + "/bulk"): needs(Permission.MANAGE_SUBSCRIBERS),  # an action on a search, as a job
    # the background jobs that act on subscribers (imports, bulk actions: digest.web.routes.jobs)
    **{("GET", "/admin/jobs" + page): needs(Permission.MANAGE_SUBSCRIBERS) for page in ("", "/{job_id}",
                                                                                     "/{job_id}/report.csv")},
    # the admin console's lists and segments (digest.web.routes.lists): every list, so no list scope
    ("GET", LISTS): needs(Permission.MANAGE_LISTS),
    ("POST", LISTS): needs(Permission.MANAGE_LISTS),  # a new list
    ("GET", LISTS + "/{list_id}"): needs(Permission.MANAGE_LISTS),
    ("POST", LISTS + "/{list_id}"): needs(Permission.MANAGE_LISTS),  # its fields (not a config.yaml list's)
    ("GET", SEGMENTS): needs(Permission.MANAGE_LISTS),
    ("POST", SEGMENTS): needs(Permission.MANAGE_LISTS),  # a search of the subscribers table, saved
    ("POST", SEGMENTS + "/{segment_id}/delete"): needs(Permission.MANAGE_LISTS),
    # the suppressions, bounces and complaints (digest.web.routes.suppressions)
    **{(m, SUPPRESSIONS + p): needs(Permission.MANAGE_SUBSCRIBERS) for m, p in SUPPRESSION_PAGES},
    ("GET", "/admin/bounces"): needs(Permission.MANAGE_SUBSCRIBERS),
    # the sources (digest.web.routes.sources): their health for editors and up, the rest for admins
    ("GET", "/admin/sources"): needs(Permission.CURATE),
    **{(m, "/admin/sources" + p): needs(Permission.MANAGE_SOURCES) for m, p in SOURCE_ACTS},
    # the JSON API's tokens (digest.web.routes.tokens): made, listed and revoked by admins
    ("GET", "/admin/tokens"): needs(Permission.MANAGE_TOKENS),
    ("POST", "/admin/tokens"): needs(Permission.MANAGE_TOKENS),
    ("POST", "/admin/tokens/{token_id}/revoke"): needs(Permission.MANAGE_TOKENS),
    ("GET", IMPORTS): needs(Permission.MANAGE_SUBSCRIBERS),  # the upload form and the recent imports
    ("GET", IMPORTS + "/uploads/{upload_id}"): needs(Permission.MANAGE_SUBSCRIBERS),  # mapped, previewed
    ("POST", IMPORTS): Rule(permission=Permission.MANAGE_SUBSCRIBERS, upload=True),
    ("POST", IMPORTS + "/uploads/{upload_id}"): needs(Permission.MANAGE_SUBSCRIBERS),
    # the JSON API: a bearer token with the scope named; its errors are problem details (RFC 9457)
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", API + "/lists"): token("lists:read"),
    ("POST", API + "/lists"): token("lists:write"),
    ("PATCH", API + "/lists/{list_id}"): token("lists:write"),
    ("GET", API + "/segments"): token("segments:read"),
    ("POST", API + "/segments"): token("segments:write"),
    ("GET", API + "/segments/{segment_id}"): token("segments:read"),
    ("DELETE", API + "/segments/{segment_id}"): token("segments:write"),
    ("GET", API + "/subscribers"): token("subscribers:read"),
    ("POST", API + "/subscribers"): token("subscribers:write"),
    ("GET", API + "/subscribers/{subscriber_id}"): token("subscribers:read"),
    ("GET", API + "/editions"): token("editions:read"),
    ("GET", API + "/editions/{edition_id}"): token("editions:read"),
    ("POST", API + "/editions/{edition_id}/changes"): token("editions:write"),
    ("GET", API + "/sources"): token("sources:read"),
    ("GET", API + "/editions/{edition_id}/deliveries"): token("deliveries:read"),
    ("GET", API + "/editions/{edition_id}/events"): token("events:read"),
    ("GET", API + "/editions/{edition_id}/report"): token("events:read"),  # the figures of the events
    ("GET", API + "/lists/{list_id}/trend"): token("events:read"),
    ("POST", API + "/sources"): token("sources:write"),
    ("PATCH", API + "/sources/{name}"): token("sources:write"),
    ("POST", API + "/imports"): token("imports:write"),
    ("GET", API + "/imports/{job_id}"): token("imports:read"),
    # the admin console's users and the audit log (digest.web.routes.users)
    ("GET", USERS): needs(Permission.MANAGE_USERS),
    **{("POST", USERS + act): needs(Permission.MANAGE_USERS) for act in USER_ACTS},
    ("GET", "/admin/audit"): needs(Permission.MANAGE_USERS),
    # the admin console's settings (digest.web.routes.settings)
    ("GET", "/admin/settings"): needs(Permission.MANAGE_SETTINGS),
    ("POST", "/admin/settings/test-delivery"): needs(Permission.MANAGE_SETTINGS),
    ("GET", "/welcome/{token}"): PUBLIC,  # an invitation's signed link: it sets a password once
    ("POST", "/welcome/{token}"): PUBLIC,
}

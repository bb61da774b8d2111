"""Editions: every editor operation, and the rules they keep.

service.py      build, curate, approve, schedule, cancel, pause, resume, send, show, list,
                preview, status; the archive and review pages (the CLI, the scheduler and the
                web app call these)
select.py       which articles a list's next edition may carry, ranked, one per story
curate.py       the editors' changes as a log, replayed over the current picks
lifecycle.py    draft -> approved -> (scheduled) -> sending -> sent, or canceled
review.py       who is asked to review a draft, and when
preview.py      an edition as a subscriber sees it, written to a file
calendar.py     a list's cron schedule in its time zone: when it is next due
overview.py     Today: each list's next run, open edition and its warnings, last send,
                failing sources (read-only, for the newsroom)
history.py      an edition's change log with who and when, each rewrite before and after
"""

"""The subscriber side as digest serves it: every subscriber operation, one function each, which the
web app's routes and the CLI's commands call alike. Each opens its transaction, applies the subscriber
domain's rules (subscribers.*, which never imports digest) and adds what digest brings to them:
signed links and the mail an operation sends (mail), the delivery rows a person's export shows and
their erasure forgets (privacy).

    service       Audience: what every operation runs with; reading the links in mail
    lists         the mailing lists: show, count, create
    joining       subscribe (the form), add (an admin), confirm, renew a confirmation
    leaving       unsubscribe: one list or all, by a link in mail or by an admin
    preferences   the preferences page: show and save
    members       import a list's members; export a search (a list's members, or any filter)
    console       the admin console's subscribers: the table's pages and counts, one subscriber's
                  page, their privacy export and erasure, audited
    privacy       what is held about a person, and erasure
    suppressions  the suppression list (found by hash, added and taken off with a note, audited) and
                  the provider's bounces and complaints, a page at a time
    mail          the confirmation and the welcome, with their links
"""

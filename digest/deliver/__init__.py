"""Delivery: outbox rows, batches, backends, notices and provider events.

    send.py         an edition's send from its rows: delivery.in_flight batches at most, a lease, crash recovery;
                    with execution: celery, handed to the workers
    workers.py      the same send by many workers (execution: celery): a task per batch, claims that lapse
    batches.py      a batch's messages made from its rows, and what became of it: shared by both
    control.py      where a send stands and how to say it; resume_sends() for start-up
    throttle.py     messages per second and a sliding window; SharedThrottle, for every worker at once
    retry.py        back-off with jitter, or the provider's reset time
    message.py      one message (Outgoing): a delivery row's copy or a notice, shared content + values
    notices.py      confirmations, welcomes, review requests and alerts: transactional, without a delivery row
    tracking.py     one normalized ProviderEvent type and one apply()
    reports.py      RFC 3464 delivery status notifications and ARF complaint reports -> ProviderEvents
    bounces.py      `digest bounces`: the bounce address's SMTP listener and the IMAP mailbox
    rates.py        an edition's bounce and complaint rates and their limits (edition_rates)
    alerts.py       an edition over a limit mailed to its list's publishers, once per kind
    readers.py      our own click and open tracking: what a tracked copy carries, where a tracked link
                    leads, the machine rules, the hits recorded by a writer thread (delivery events)
    localtime.py    the list's hour in each subscriber's own time zone
    backends/       sendgrid, smtp, file, console: a batch in, one Result per message out
                    (sendgrid also verifies and parses its own Event Webhook)

Configuration (config.yaml, `delivery:`): backend, batch_size, in_flight, claim_seconds, throttle.{per_second, window_limit,
window_seconds}, retry.{attempts, base_delay, max_delay, defer_seconds, max_rate_limit_wait},
resume_cutoff_hours, wait_for_deferred, smtp.{host, port, username, security, timeout, pool_size,
messages_per_connection}, sendgrid.{api_host, sandbox, timeout}, bounces.{address, imap.{host, port, username,
security, folder, processed, timeout}}. Secrets from the environment only:
SENDGRID_API_KEY, DIGEST_SMTP_PASSWORD, SENDGRID_WEBHOOK_PUBLIC_KEY, DIGEST_IMAP_PASSWORD. Per list (`lists[].tracking`):
clicks, opens, machine_seconds (readers.py).
"""

"""Delivery: outbox rows, batches, backends and provider events.

    send.py         an edition's send from its rows: one batch in flight, a lease, crash recovery
    control.py      pause, resume, cancel, status and progress; resume_sends() for start-up
    lease.py        one process sends an edition at a time
    throttle.py     messages per second and a sliding window
    retry.py        back-off with jitter, or the provider's reset time
    message.py      one recipient's message: shared content + this recipient's values
    backends/       sendgrid, smtp, file, console: a batch in, one Result per message out
    events.py       POST /webhooks/sendgrid (a FastAPI router; needs app.state.engine)

Configuration (config.yaml, `delivery:`): backend, batch_size, throttle.{per_second, window_limit,
window_seconds}, retry.{attempts, base_delay, max_delay, defer_seconds, max_rate_limit_wait},
resume_cutoff_hours, wait_for_deferred, smtp.{host, port, username, security, timeout, pool_size,
messages_per_connection}, sendgrid.{api_host, sandbox, timeout}. Secrets from the environment only:
SENDGRID_API_KEY, DIGEST_SMTP_PASSWORD, SENDGRID_WEBHOOK_PUBLIC_KEY.
"""

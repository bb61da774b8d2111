"""The work queue of `execution: celery`: the Celery app that the scheduler, the web app and
`digest send` put tasks on, and that `digest worker` processes take them from.

Tasks are sent by name (the worker's side, digest.pipeline.tasks, defines them), so whatever
enqueues needs none of the code that runs them. The broker is Redis by default, RabbitMQ works too
(DIGEST_BROKER_URL); chords (a list's run after the ingest of each of its sources) keep their
results in Redis when the broker is Redis, else in the database. The broker is never the source of
truth: a task lost with its broker is found again from the database (digest.deliver.workers).

Every task is acknowledged late, and given back when its worker dies (on Redis, once its visibility
timeout has passed), so a task a killed worker had is run again; each is idempotent (the rows say
what is left to do), and a send does not wait for it: the killed worker's claim lapses sooner.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from digest import config
from digest.errors import Unavailable

if TYPE_CHECKING:
    from celery.app.base import Celery

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "digest"


def broker_url() -> str:
    return config.secret(config.BROKER_URL_ENV) or DEFAULT_BROKER


@lru_cache(maxsize=4)
def celery_app(database_url: str) -> Celery:
    """The app for this database and the broker of the environment (made once per process)."""
    from celery.app.base import Celery  # the module itself: celery's lazy names race between threads

    broker = broker_url()
    backend = broker if broker.startswith(("redis://", "rediss://")) else f"db+{database_url}"
    app = Celery("digest", broker=broker, backend=backend, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,  # a task is taken off the queue when done, not when begun
        task_reject_on_worker_lost=True,  # ... and a killed worker's task goes back on it
        worker_prefetch_multiplier=1,  # a worker holds no more tasks than it runs
        task_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},  # Redis: an unacknowledged task returns after
        worker_hijack_root_logger=False,
    )
    return app


@contextmanager
def broker_errors() -> Iterator[None]:
    """A broker that cannot be reached is an Unavailable error naming it (its password hidden)."""
    from kombu.exceptions import OperationalError

    try:
        yield
    except (OperationalError, ConnectionError) as exc:
        shown = re.sub(r"//([^/@]*):[^/@]*@", r"//\1:***@", broker_url())
        raise Unavailable(f"the broker at {shown} ({config.BROKER_URL_ENV}) cannot be reached: {exc}") from None


def enqueue(settings: config.Settings, task: str, *args: Any) -> None:
    """Put `digest.<task>(*args)` on the queue; its result is not kept."""
    with broker_errors():
        celery_app(settings.db_url).send_task(f"digest.{task}", args=args, queue=QUEUE, ignore_result=True)


def signature(settings: config.Settings, task: str, *args: Any) -> Any:
    """`digest.<task>(*args)` as a Celery signature, immutable (for a chord's members and callback)."""
    return celery_app(settings.db_url).signature(f"digest.{task}", args=args, immutable=True, queue=QUEUE)


def run_all(
    settings: config.Settings,
    task: str,
    calls: list[tuple[Any, ...]],
    done: Callable[[tuple[Any, ...], Any], None],
) -> None:
    """Run `digest.<task>(*args)` for each of `calls` on the workers at once, and wait for them all,
    handing each (args, result) to `done` as it comes: for a command that waits for its work
    (`digest ingest`). The results are waited for as the result store pushes them (Redis), else
    read one by one."""
    from celery.result import ResultSet

    app = celery_app(settings.db_url)
    with broker_errors(), app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)  # before the result store's own, which raises RuntimeError
        sent = [(app.send_task(f"digest.{task}", args=args, queue=QUEUE), args) for args in calls]
    by_id = {result.id: args for result, args in sent}
    results = ResultSet([result for result, _ in sent], app=app)
    collect = results.join_native if results.supports_native_join else results.join
    collect(callback=lambda task_id, value: done(by_id[task_id], value), propagate=True)


def queued(settings: config.Settings) -> int:
    """How many tasks wait on the queue (those a worker has taken and not finished are not counted)."""
    from amqp.exceptions import NotFound
    from kombu.exceptions import ChannelError

    app = celery_app(settings.db_url)
    with app.connection_for_write() as conn:
        try:
            return int(conn.default_channel.queue_declare(queue=QUEUE, passive=True).message_count)
        except (ChannelError, NotFound):  # no queue yet: nothing was ever put on it
            return 0


def workers(settings: config.Settings, timeout: float = 1.0) -> dict[str, dict[str, Any]]:
    """The workers that answer within `timeout`: name -> their stats (pid, concurrency, tasks done)."""
    app = celery_app(settings.db_url)
    return app.control.inspect(timeout=timeout).stats() or {}

"""What crosses the stages: a list's scheduled run, the dispatch between runs, the scheduler and
the server, the demo.

    instance.py     an instance's store: reachable, migrated, the lists synced
    run.py          one slot of a list: ingest, build, approve, send (once per slot); enqueue_slot, on the workers
    dispatch.py     resume what was interrupted, send what is due, apply review deadlines
    schedule.py     APScheduler wiring, run only by the holder of the scheduler lease
    serve.py        `digest serve`: the web app and the scheduler in one process
    tasks.py        what `digest worker` runs (execution: celery): ingest_source, finish_slot, send_batch
    demo.py         `digest demo`: the whole path, told step by step
"""

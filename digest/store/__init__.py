"""The store: the only place (with `subscribers`) that reads and writes tables; it hands back
domain objects (digest.domain), never rows.

    db.py           engines, migrations, insert_new and insert_missing (insert keys once, whoever races)
    types.py        the one UTC datetime column type
    tables.py       the pipeline's tables
    articles.py     sources and articles
    editions.py     editions, their items and change log
    deliveries.py   delivery rows, the outbox: claimed in batches, settled one by one
    sends.py        an edition's send as a whole
    events.py       provider events, each stored once
    runs.py         scheduled runs, one per slot of a list
    leases.py       one holder at a time: the scheduler, each edition's send
    throttles.py    a sending limit's state, shared by every worker
"""

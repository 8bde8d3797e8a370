"""Helpers of ``bench/bench_latency.py``: the REST-path latency benchmark.

One run measures two Rasa servers on the same machine, under the same load, with the
same client code: a plain ``rasa init`` bot (the baseline the target is relative to)
and our stack (Rasa + action server + record store). Modules:

- :mod:`.scripts`   the fixed conversations each bot is driven through
- :mod:`.driver`    sends them (sequential and N-concurrent) and times every message
- :mod:`.stats`     p50 / p95 / max and messages per second
- :mod:`.plain_bot` creates, trains once, starts and stops the ``rasa init`` bot
- :mod:`.stack`     starts (or reuses) and stops our stack through ``recert up/down``
- :mod:`.probes`    where the time goes: NLU alone, the action server alone, a tracker read
- :mod:`.variant`   our model once more with the in-memory tracker store
- :mod:`.breakdown` where Rasa spends a message's time, timed inside the Rasa process
- :mod:`.server`    one ``rasa run`` started, probed and stopped through bot/stack
- :mod:`.procs`     the machine, its load and our share of the CPU
- :mod:`.report`    the JSON and markdown results
"""

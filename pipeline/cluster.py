"""The batch's jobs on a Dask cluster, when one machine is not enough (pip install 'smaudit[cluster]').

The jobs are the local ones (read one file, analyse one package); only where they run
changes. On a worker each job still runs in a forked child, so the time limit and the
memory cap hold there too. The files must be reachable at the same paths from every
worker (a shared drive); results come back here, where the cache and the outputs are written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from extractors.isolate import Failed, Job, run_forked

# Dask runs higher priorities first: analyses before reads, bigger files before smaller ones.
ANALYZE_PRIORITY = 1_000_000_000


def dask_executor(address: str) -> Callable[[Callable[[], Job | None], int], Iterator[tuple[Job, Any]]]:
    """An executor (same shape as run_forked) that submits every job to the scheduler at `address`."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # the optional extra is missing: say how to get it
        raise RuntimeError("--scheduler 需要 Dask：pip install 'smaudit[cluster]'") from exc

    def execute(next_job: Callable[[], Job | None], parallel: int) -> Iterator[tuple[Job, Any]]:
        with Client(address, set_as_default=False) as client:
            pending = as_completed(loop=client.loop)
            jobs: dict[str, Job] = {}
            offered = 0

            def submit_offered() -> None:
                nonlocal offered
                while (job := next_job()) is not None:
                    offered += 1
                    priority = ANALYZE_PRIORITY if job.key[0] == "analyze" else -offered
                    future = client.submit(run_job, job, key=f"smaudit-{job.key[0]}-{uuid.uuid4().hex}",
                                           pure=False, priority=priority)
                    jobs[future.key] = job
                    pending.add(future)

            submit_offered()
            for future in pending:
                job = jobs.pop(future.key)
                try:
                    value = future.result()
                except Exception as exc:  # a worker lost, a result that would not travel
                    value = Failed("crash", f"{type(exc).__name__}: {exc}"[:160])
                future.release()
                yield job, value
                submit_offered()

    return execute


def run_job(job: Job) -> Any:
    """On a worker: warm the matcher once per worker process, then run the job in a forked child."""
    if job.key[0] == "analyze":
        from matchers.analyze import warm

        warm(job.args[1])  # cached: the first job of each worker process pays, the others fork warm
    offered = [job]
    ((_, value),) = run_forked(lambda: offered.pop() if offered else None, 1)
    return value

"""The periodic jobs' scheduler: each job once per interval, across processes with Redis."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from tercul.models import TrendingEntry, ViewDaily
from tercul.services import stats
from tercul.tasks.schedule import PeriodicJob, Scheduler, periodic_jobs


def test_a_job_runs_once_per_interval(app):
    runs = []
    scheduler = Scheduler(app, [PeriodicJob("tick", 3600, lambda: runs.append(1))])
    assert scheduler.run_due() == ["tick"]
    assert scheduler.run_due() == [] and runs == [1]


def test_a_failing_job_does_not_stop_the_others(app, caplog):
    def broken():
        raise RuntimeError("boom")

    runs = []
    scheduler = Scheduler(app, [PeriodicJob("broken", 60, broken), PeriodicJob("fine", 60, lambda: runs.append(1))])
    assert scheduler.run_due() == ["fine"] and "periodic job broken failed" in caplog.text


def test_with_redis_one_of_several_workers_runs_a_job(app):
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=0.3)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    name = f"test-{uuid.uuid4().hex}"
    runs = []
    workers = [Scheduler(app, [PeriodicJob(name, 60, lambda: runs.append(1))], redis_client=client)
               for _ in range(3)]
    try:
        assert sum(len(w.run_due()) for w in workers) == 1 and runs == [1]
    finally:
        client.delete(f"tercul:schedule:{name}")


def test_the_stats_jobs_flush_and_rank(app, session):
    buffer = stats.MemoryBuffer()
    previous = app.extensions.get("tercul.stats.buffer")
    app.extensions["tercul.stats.buffer"] = buffer
    try:
        from factories import make_work

        work = make_work()
        stats.count_view(buffer, "work", work.id, stats.Visit(address="192.0.2.1", user_agent="Firefox"))
        jobs = {job.name: job for job in periodic_jobs(app)}
        with app.app_context():
            jobs["stats-flush"].run()
            jobs["stats-trending"].run()
            jobs["stats-cleanup"].run()
        assert session.scalar(select(ViewDaily.views).where(ViewDaily.target_id == work.id)) == 1
        assert session.scalar(select(TrendingEntry.work_id).where(TrendingEntry.period == "day")) == work.id
    finally:
        app.extensions["tercul.stats.buffer"] = previous


def test_stats_rebuild_command(cli_runner, session, app):
    from factories import make_work

    work = make_work()
    session.add(ViewDaily(kind="work", target_id=work.id, day=stats.today(), views=3))
    session.flush()
    result = cli_runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "trending:" in result.output
    assert session.scalar(select(TrendingEntry.work_id).where(TrendingEntry.period == "month")) == work.id

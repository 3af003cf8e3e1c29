"""RUN_CONSUMER_GROUPS: a process runs the named consumer groups of its service only, so a
group nobody waits on can run in a process of its own (at a lower CPU priority). A group's
`max_batch` caps its batches; its fetch policy and the commit interval reach its client."""

from __future__ import annotations

import pytest

from huiyin.messaging.kafka import BULK, PROMPT
from huiyin.runtime import ConsumerSpec, build_runtime
from huiyin.settings import ServiceSettings

SPECS = [
    ConsumerSpec("inbox", ["complaints"], {}),
    ConsumerSpec("hotspots", ["complaints"], {}, defers_to="inbox"),
    ConsumerSpec("figures", ["assignments"], {}),
]


async def groups_run(**env: str) -> tuple[list[str], bool, dict[str, list[str]]]:
    rt = build_runtime(ServiceSettings(service_name="svc", **env), consumers=SPECS)  # type: ignore[arg-type]
    try:
        defers = any(c._defers_to is not None for c in rt.consumers)
        return [c.name for c in rt.consumers], defers, rt.consumer_groups
    finally:
        await rt.engine.dispose()


async def test_every_group_by_default_and_a_group_defers_within_its_process() -> None:
    names, defers, lag_groups = await groups_run()
    assert names == ["inbox", "hotspots", "figures"]
    assert defers
    assert set(lag_groups) == {"inbox", "hotspots", "figures"}


async def test_only_the_named_groups_and_no_deferring_to_a_group_run_elsewhere() -> None:
    names, defers, lag_groups = await groups_run(run_consumer_groups="hotspots, figures")
    assert names == ["hotspots", "figures"]
    assert not defers  # "inbox" runs in another process: the kernel's priority does the job
    # /metrics still reports the lag of every group of the service
    assert set(lag_groups) == {"inbox", "hotspots", "figures"}


async def test_a_group_the_service_does_not_have_is_refused_at_start() -> None:
    with pytest.raises(
        ValueError, match=r"RUN_CONSUMER_GROUPS names no consumer group of svc: \['hotspot'\]"
    ):
        await groups_run(run_consumer_groups="inbox,hotspot")


async def test_no_consumers_at_all_when_run_consumers_is_off() -> None:
    names, _, _ = await groups_run(run_consumers="false", run_consumer_groups="inbox")
    assert names == []


@pytest.mark.parametrize(("setting", "batches"), [(500, [500, 100]), (50, [50, 50])])
async def test_a_groups_max_batch_caps_the_setting_and_never_raises_it(
    setting: int, batches: list[int]
) -> None:
    specs = [
        ConsumerSpec("inbox", ["complaints"], {}),
        ConsumerSpec("hotspots", ["complaints"], {}, max_batch=100),
    ]
    rt = build_runtime(ServiceSettings(service_name="svc", consumer_batch_size=setting), consumers=specs)
    try:
        assert [c._batch for c in rt.consumers] == batches
    finally:
        await rt.engine.dispose()


async def test_a_groups_fetch_policy_and_the_commit_interval_reach_its_kafka_consumer() -> None:
    specs = [
        ConsumerSpec("inbox", ["complaints"], {}),
        ConsumerSpec("figures", ["assignments"], {}, fetch=BULK),
    ]
    settings = ServiceSettings(service_name="svc", consumer_commit_interval_s=2.5)  # type: ignore[call-arg]
    rt = build_runtime(settings, consumers=specs)
    try:
        kafka = [c._build() for c in rt.consumers]  # built, not started: no broker needed
        assert [(k._fetch_min_bytes, k._fetch_max_wait_ms) for k in kafka] == [
            (PROMPT.min_bytes, PROMPT.max_wait_ms),
            (BULK.min_bytes, BULK.max_wait_ms),
        ]
        assert [c._commit_interval_s for c in rt.consumers] == [2.5, 2.5]
        for k in kafka:
            await k.stop()
    finally:
        await rt.engine.dispose()

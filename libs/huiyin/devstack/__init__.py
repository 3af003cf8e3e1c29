"""Local infrastructure launchers: real Kafka (KRaft) and real PostgreSQL without Docker.

Import the submodules directly (`huiyin.devstack.kafka`, `huiyin.devstack.postgres`);
nothing here starts anything at import time.
"""

from huiyin.devstack.kafka import LocalKafka
from huiyin.devstack.ports import free_port, free_ports
from huiyin.devstack.postgres import LocalPostgres

__all__ = ["LocalKafka", "LocalPostgres", "free_port", "free_ports"]

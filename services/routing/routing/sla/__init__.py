"""The SLA engine: deadlines on working time, durable timers, warnings, breaches, escalation.

Routing's handlers call `service` inside their own unit of work; `wiring.install(runtime)`
adds the scheduler loop and returns the admin routers. See docs/sla.md.
"""

"""The event wiring table: which handlers react to which event.

One line per event; every handler is a dotted path to a function that takes one
`marketplace.outbox.Event`. docs/events.md describes each event's payload. An event with no
handler yet is still listed, so a reader sees every event the system publishes.
"""

HANDLERS: dict[str, list[str]] = {}

from config.events import HANDLERS as PROJECT_HANDLERS

HANDLERS: dict[str, list[str]] = {
    **PROJECT_HANDLERS,
    "probe.happened": ["tests.probe.handlers.record", "tests.probe.handlers.record_other"],
    "probe.flaked": ["tests.probe.handlers.fail_once"],
    "probe.ignored": [],
    "probe.slowed": ["tests.probe.handlers.record_slowly"],
}

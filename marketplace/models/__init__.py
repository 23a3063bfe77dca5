from .outbox import HandledEvent, OutboxEvent
from .regions import Kabupaten, Kecamatan
from .users import User

__all__ = ["HandledEvent", "Kabupaten", "Kecamatan", "OutboxEvent", "User"]

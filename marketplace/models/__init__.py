from .catalog import (
    ExperienceSlot,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Review,
    StayNight,
    Variant,
    WishlistItem,
)
from .outbox import HandledEvent, OutboxEvent
from .regions import Kabupaten, Kecamatan
from .shops import Category, Desa, Shop, ShopMember, ShopRole, ShopStatus
from .users import User

__all__ = [
    "Category",
    "Desa",
    "ExperienceSlot",
    "HandledEvent",
    "Kabupaten",
    "Kecamatan",
    "OutboxEvent",
    "Product",
    "ProductKind",
    "ProductPhoto",
    "ProductStatus",
    "Review",
    "Shop",
    "ShopMember",
    "ShopRole",
    "ShopStatus",
    "StayNight",
    "User",
    "Variant",
    "WishlistItem",
]

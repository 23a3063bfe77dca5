from .campaigns import CampaignVisitDay
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
from .offline import OfflineChange, OfflineChangeStatus
from .orders import (
    CartItem,
    Checkout,
    CourierRate,
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    ShopDelivery,
    Voucher,
    VoucherKind,
)
from .outbox import HandledEvent, OutboxEvent
from .regions import Kabupaten, Kecamatan
from .shops import Category, Desa, Shop, ShopMember, ShopRole, ShopStatus
from .users import User

__all__ = [
    "CampaignVisitDay",
    "CartItem",
    "Checkout",
    "CourierRate",
    "DeliveryMethod",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "OfflineChange",
    "OfflineChangeStatus",
    "ShopDelivery",
    "Voucher",
    "VoucherKind",
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

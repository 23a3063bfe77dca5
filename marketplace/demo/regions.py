from django.utils.text import slugify

from marketplace.models import Kabupaten, Kecamatan

KABUPATEN = ("Toba", "Sumatera Utara")
KECAMATAN = (
    "Ajibata",
    "Balige",
    "Bonatua Lunasi",
    "Borbor",
    "Habinsaran",
    "Laguboti",
    "Lumban Julu",
    "Nassau",
    "Parmaksian",
    "Pintu Pohan Meranti",
    "Porsea",
    "Siantar Narumonda",
    "Sigumpar",
    "Silaen",
    "Tampahan",
    "Uluan",
)


def seed_regions() -> Kabupaten:
    name, province = KABUPATEN
    kabupaten, _ = Kabupaten.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "province": province}
    )
    for kecamatan in KECAMATAN:
        Kecamatan.objects.get_or_create(
            slug=slugify(kecamatan), defaults={"name": kecamatan, "kabupaten": kabupaten}
        )
    return kabupaten

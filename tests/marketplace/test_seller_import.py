"""CSV import in the dashboard: all rows or none, wrong rows listed by line; the template."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.models import Product, ProductKind, ProductStatus
from marketplace.services.catalog import CSV_COLUMNS
from tests.factories import CategoryFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client):
    owner = UserFactory()
    client.force_login(owner)
    CategoryFactory(name="Kopi", slug="kopi")
    return ShopFactory(owner=owner, category=CategoryFactory(name="Tenun dan Ulos", slug="ulos"))


def csv_file(text: str, name: str = "produk.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def post(client, shop, upload, **kwargs):
    return client.post(
        reverse("seller:product_import", args=[shop.slug]), {"file": upload}, **kwargs
    )


GOOD = """jenis,nama,kategori,harga,stok,berat_gram,deskripsi
barang,Ulos Ragi Hotang,ulos,350000,4,600,Tenun tangan
barang,Kopi Lintong 250 g,Kopi,85.000,20,250,
pengalaman,Tur perahu Danau Toba,kopi,150000,,,Dua jam
"""


def test_a_good_file_creates_every_product_as_a_draft(client, shop):
    response = post(client, shop, csv_file(GOOD), follow=True)
    products = Product.objects.filter(shop=shop)
    assert products.count() == 3
    assert set(products.values_list("status", flat=True)) == {ProductStatus.DRAFT}
    kopi = products.get(title="Kopi Lintong 250 g")
    assert (kopi.price, kopi.variants.get().free) == (85_000, 20)
    assert products.get(title="Tur perahu Danau Toba").kind == ProductKind.EXPERIENCE
    assert "3 produk dibuat sebagai draf" in response.content.decode()
    # Back to the list, showing the drafts.
    assert response.redirect_chain[-1][0].endswith("?status=draft")


def test_a_semicolon_file_from_a_spreadsheet_is_read_too(client, shop):
    text = "\ufeffjenis;nama;kategori;harga\nbarang;Ulos Sadum;ulos;300.000\n"
    post(client, shop, csv_file(text))
    assert Product.objects.get().price == 300_000


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_line(client, shop):
    bad = GOOD.replace("barang,Kopi Lintong 250 g,Kopi,85.000", "barang,Kopi Lintong,Teh,murah")
    response = post(client, shop, csv_file(bad))
    assert response.status_code == 200
    assert not Product.objects.exists()
    report = response.context["report"]
    assert [line for line, _message in report.errors] == [3]
    page = response.content.decode()
    assert "Tidak ada yang diimpor" in page
    assert "<td>3</td>" in page
    assert "kategori “Teh” tidak dikenal" in page
    assert "harga harus bilangan bulat" in page


def test_a_file_without_the_required_columns_is_explained(client, shop):
    response = post(client, shop, csv_file("nama,harga\nUlos,100\n"))
    assert "Kolom wajib tidak ada: jenis, kategori" in response.content.decode()
    assert not Product.objects.exists()


def test_a_file_that_is_not_utf8_text_is_refused(client, shop):
    upload = SimpleUploadedFile("produk.csv", b"\xff\xfe\x00bukan", content_type="text/csv")
    response = post(client, shop, upload)
    assert "UTF-8" in response.content.decode()
    assert not Product.objects.exists()


def test_a_missing_file_is_an_error_next_to_the_field(client, shop):
    response = client.post(reverse("seller:product_import", args=[shop.slug]), {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_the_template_has_the_import_columns_and_imports_as_is(client, shop):
    response = client.get(reverse("seller:product_import_template", args=[shop.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_COLUMNS
    # Its example rows are valid: a seller who tries it as it is sees how it works.
    post(client, shop, csv_file(text))
    assert Product.objects.filter(shop=shop).count() == len(rows) - 1


def test_the_import_page_links_the_template(client, shop):
    page = client.get(reverse("seller:product_import", args=[shop.slug])).content.decode()
    assert reverse("seller:product_import_template", args=[shop.slug]) in page
    for column in CSV_COLUMNS:
        assert column in page

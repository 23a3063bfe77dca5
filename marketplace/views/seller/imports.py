"""Many products at once from a CSV file (all rows or none), and the template to fill in."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.forms.seller import CsvImportForm
from marketplace.models import ShopMember
from marketplace.services.catalog import CSV_COLUMNS, products_import_csv

from .common import posted, seller_render, seller_view


@seller_view()
def product_import(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop = membership.shop
    form = CsvImportForm(*posted(request))
    report = None
    if request.method == "POST" and form.is_valid():
        report = products_import_csv(shop=shop, data=form.cleaned_data["file"].read())
        if report.ok:
            n = len(report.created)
            messages.success(
                request,
                ngettext(
                    "%(n)s produk dibuat sebagai draf. Periksa, tambahkan foto, lalu tampilkan.",
                    "%(n)s produk dibuat sebagai draf. Periksa, tambahkan foto, lalu tampilkan.",
                    n,
                )
                % {"n": n},
            )
            return redirect(reverse("seller:products", args=[shop.slug]) + "?status=draft")
    return seller_render(
        request,
        "import.html",
        membership,
        {"form": form, "report": report, "columns": CSV_COLUMNS},
        section="import",
    )


@seller_view(methods=("GET",))
def import_template(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    """A CSV with the columns the import reads, and two example rows to overwrite."""
    category = membership.shop.category.slug
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    examples = {
        "jenis": ["barang", "pengalaman"],
        "nama": [_("Contoh: Ulos Ragi Hotang"), _("Contoh: Tur perahu Danau Toba")],
        "kategori": [category, category],
        "harga": ["350000", "150000"],
        "stok": ["5", ""],
        "berat_gram": ["600", ""],
        "deskripsi": [_("Tenun tangan, 200 x 60 cm."), _("Dua jam keliling, per orang.")],
    }
    for i in range(2):
        writer.writerow([examples.get(column, ["", ""])[i] for column in CSV_COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="template-produk.csv"'
    return response

"""The block library every page body is built from (in the manner of Wagtail's bakerydemo):
text and media blocks, and blocks that feature the live catalog. Catalog blocks store the chosen
ids; the page's context loads the cards of every block in one query per kind (cms.featured), so
a page costs the same queries however many items editors feature."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from cms.choosers import experience_chooser, product_chooser, shop_chooser


def featured_cards(parent_context, value):
    """The page's Featured (loaded for all its blocks at once), or, where a block renders
    alone (a preview of one block), one loaded for this block."""
    from cms import selectors

    featured = (parent_context or {}).get("featured")
    if featured is None:
        featured = selectors.featured_for_values(value)
    return featured


def _pks(items) -> list[int]:
    return [item.pk for item in items or [] if item is not None]


ProductChooserBlock = product_chooser.get_block_class(
    name="ProductChooserBlock", module_path="cms.blocks"
)
ExperienceChooserBlock = experience_chooser.get_block_class(
    name="ExperienceChooserBlock", module_path="cms.blocks"
)
ShopChooserBlock = shop_chooser.get_block_class(name="ShopChooserBlock", module_path="cms.blocks")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("judul"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("tingkat"), choices=[("h2", "H2"), ("h3", "H3")], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Judul bagian")
        template = "cms/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("gambar"))  # asks for alt text, or "decorative"
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=200)
    credit = blocks.CharBlock(label=_("sumber foto"), required=False, max_length=100)

    class Meta:
        icon = "image"
        label = _("Gambar berketerangan")
        template = "cms/blocks/captioned_image.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    images = blocks.ListBlock(CaptionedImageBlock(), label=_("gambar"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Galeri")
        template = "cms/blocks/gallery.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("tautan video"), help_text=_("YouTube, Vimeo, Instagram, ..."))
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "cms/blocks/video.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("kutipan"))
    attribution = blocks.CharBlock(label=_("oleh"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Kutipan")
        template = "cms/blocks/quote.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), max_length=120)
    text = blocks.TextBlock(label=_("teks"), required=False)
    page = blocks.PageChooserBlock(label=_("halaman"), required=False)
    url = blocks.URLBlock(label=_("atau alamat"), required=False)
    button = blocks.CharBlock(label=_("teks tombol"), max_length=40)

    class Meta:
        icon = "pick"
        label = _("Ajakan (call to action)")
        template = "cms/blocks/call_to_action.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Pilih halaman atau isi alamat."))}
            )
        return value


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("pertanyaan"), max_length=200)
    answer = blocks.RichTextBlock(label=_("jawaban"), features=["bold", "italic", "link", "ul"])


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("pertanyaan"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Tanya jawab (FAQ)")
        template = "cms/blocks/faq.html"


class FeaturedProductsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    products = blocks.ListBlock(ProductChooserBlock(), label=_("produk"), min_num=1)

    class Meta:
        icon = "tag"
        label = _("Produk pilihan")
        template = "cms/blocks/featured_products.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        featured = featured_cards(parent_context, {"products": value["products"]})
        context["cards"] = featured.product_list(_pks(value["products"]))
        return context


class FeaturedShopsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    shops = blocks.ListBlock(ShopChooserBlock(), label=_("toko"), min_num=1)

    class Meta:
        icon = "home"
        label = _("Toko pilihan")
        template = "cms/blocks/featured_shops.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        featured = featured_cards(parent_context, {"shops": value["shops"]})
        context["cards"] = featured.shop_list(_pks(value["shops"]))
        return context


class ExperiencesOnDatesBlock(blocks.StructBlock):
    """Experiences with their free slots between two dates: those chosen, or when none is
    chosen, the catalog's experiences that have a free slot then."""

    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    experiences = blocks.ListBlock(
        ExperienceChooserBlock(), label=_("pengalaman"), min_num=0, default=[]
    )
    start_date = blocks.DateBlock(label=_("dari tanggal"))
    end_date = blocks.DateBlock(label=_("sampai tanggal"))

    class Meta:
        icon = "date"
        label = _("Pengalaman pada tanggal")
        template = "cms/blocks/experiences_on_dates.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        featured = featured_cards(parent_context, {"experiences_on_dates": value})
        context["rows"] = featured.experiences_on(
            _pks(value["experiences"]), value["start_date"], value["end_date"]
        )
        return context

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        if value["start_date"] and value["end_date"] and value["end_date"] < value["start_date"]:
            raise StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("Tanggal akhir sebelum tanggal mulai."))
                }
            )
        return value


class DestinationCardsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("judul"), required=False, max_length=120)
    pages = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=["cms.DestinationPage", "cms.VillagePage"]),
        label=_("destinasi atau desa wisata"),
        min_num=1,
    )

    class Meta:
        icon = "site"
        label = _("Kartu destinasi")
        template = "cms/blocks/destination_cards.html"

    def get_context(self, value, parent_context=None):
        from django.db.models import prefetch_related_objects
        from wagtail.models import Page

        context = super().get_context(value, parent_context)
        pks = _pks(value["pages"])
        found = Page.objects.filter(pk__in=pks).live().public().specific().in_bulk()
        cards = [found[pk] for pk in pks if pk in found]
        prefetch_related_objects(cards, "hero_image__renditions")
        context["cards"] = cards
        return context


class MapBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("nama tempat"), max_length=120)
    latitude = blocks.DecimalBlock(
        label=_("lintang"), min_value=-90, max_value=90, decimal_places=6
    )
    longitude = blocks.DecimalBlock(
        label=_("bujur"), min_value=-180, max_value=180, decimal_places=6
    )

    class Meta:
        icon = "site"
        label = _("Posisi di peta")
        template = "cms/blocks/map.html"


class BodyBlock(blocks.StreamBlock):
    """What every page body may hold."""

    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        label=_("Teks"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"],
        template="cms/blocks/text.html",
    )
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    faq = FaqBlock()
    featured_products = FeaturedProductsBlock()
    featured_shops = FeaturedShopsBlock()
    experiences_on_dates = ExperiencesOnDatesBlock()
    destination_cards = DestinationCardsBlock()
    map = MapBlock()

    class Meta:
        block_counts = {}

// The share bar's "copy link": one tap copies the campaign link (the field works without it).
document.addEventListener("click", (event) => {
  const field = event.target.closest(".share-copy");
  if (!field || !navigator.clipboard) return;
  field.select();
  navigator.clipboard.writeText(field.value).then(() => {
    field.setAttribute("aria-description", field.dataset.copied);
    field.title = field.dataset.copied;
  });
});

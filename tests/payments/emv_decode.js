// Decodes an EMVCo QR payload with an independent decoder (steplix-emvqr, which checks the CRC
// over UTF-8 bytes) and prints JSON: {tag: value} with nested templates decoded one level.
const emvqr = require("steplix-emvqr");
const decoded = emvqr.decode(process.argv[2]);
const out = {};
for (const [tag, field] of Object.entries(decoded)) {
  if (field && typeof field.data === "object") {
    out[tag] = Object.fromEntries(Object.entries(field.data).map(([k, v]) => [k, v.data]));
  } else {
    out[tag] = field.data;
  }
}
process.stdout.write(JSON.stringify(out));

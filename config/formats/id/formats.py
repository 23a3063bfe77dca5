# One way to write a date in Indonesian across pages, mails and receipts: "Sab, 5 Des 2026 09.00".
DATE_FORMAT = "D, j M Y"
DATETIME_FORMAT = "D, j M Y H.i"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = "j M Y"

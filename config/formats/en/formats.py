# The same dates for English readers: "Sat 5 Dec 2026 09:00".
DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"

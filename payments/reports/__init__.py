"""Diskominfo's smart-economy reports of cashless payments (issue 11): the figures
(selectors.py), their charts drawn as SVG (charts.py), the Wagtail report views with
spreadsheet export (views.py), and the year's evidence workbook (evidence.py)."""

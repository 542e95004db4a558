"""Outputs for people: CLI tables, the Excel results workbook, the board brief.

**In:** the results Dataset (and the models behind it). **Out:** text tables, ``.xlsx``
workbooks, the brief as HTML and PDF, and problems put into words.

- :mod:`.tables`: short result tables for the CLI;
- :mod:`.excel_export`: the results workbook;
- :mod:`.brief`: the board brief (styrenotat); :mod:`.chromium`: printing it to PDF;
"""

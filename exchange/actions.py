"""The action log in and out of Clerk: logs as boards keep them (csv, xlsx) and Clerk's exports.

An import reads every row before it writes anything. Rows that cannot be read are listed with
their row number as the spreadsheet shows it (header = row 1), and then nothing is imported
unless the secretary asks to skip them. Refs in the file are kept; actions raised later continue
after the highest. An export writes COLUMNS, and imports back to the same log.

This module gathers the pieces: tables (files), reading (rows), importing, exporting.
"""
from exchange.exporting import STATUS_CHOICES, export_row, export_rows
from exchange.importing import BadRows, BoardError, Imported, choose_board, import_log
from exchange.reading import (
                              BadRow,
                              LogRow,
                              read_day,
                              read_log,
                              read_owners,
                              read_private,
                              read_ref,
                              read_row,
                              read_status,
                              read_updates,
)
from exchange.tables import COLUMNS, DATE_COLUMNS, TableError, read_table, write_csv, write_docx, write_md, write_xlsx

__all__ = ["STATUS_CHOICES", "export_row", "export_rows", "BadRows", "BoardError", "Imported", "choose_board",
           "import_log", "BadRow", "LogRow", "read_day", "read_log", "read_owners", "read_private", "read_ref",
           "read_row", "read_status", "read_updates", "COLUMNS", "DATE_COLUMNS", "TableError", "read_table",
           "write_csv", "write_docx", "write_md", "write_xlsx"]

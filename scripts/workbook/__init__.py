"""The after-rejection workbook's build logic: data loading and checking,
the permanent link registry, and the hooks and macros MkDocs calls."""

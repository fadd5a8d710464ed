"""Files in and out: spreadsheets read and checked before anything is written, templates and results written."""

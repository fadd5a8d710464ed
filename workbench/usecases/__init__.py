"""Work that the command line and the app both do, where the core and the PDFs in `reports` meet.

The core below this layer never imports `reports`; the CLI and the GUI call these functions instead of
composing the two themselves.
"""

"""PDF output (certificates, evaluation reports) with reportlab; no Qt here."""

"""Storage: the SQLite connection and its transactions, the schema, the audit log and stored settings."""

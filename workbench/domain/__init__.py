"""The rules of the evaluation, free of storage and files: instruments, scoring, agreement, typed values."""

"""Award certificates: keys, eligibility, numbering, signed tokens, revocation and offline verification."""

"""Views for follow-up work, one module per feature (thin: forms parse, services decide)."""

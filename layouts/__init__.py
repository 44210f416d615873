"""Component trees: one module per page plus the shell shared by every page (no callbacks here)."""

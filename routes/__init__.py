"""Plain Flask routes served beside the Dash pages (the open data API)."""

"""The terminal UI (Textual): a thin App, screens and one widget per file."""

"""File formats: the Markdown draft format, OAS plain text, and exports via pandoc."""

"""The pure core: what the product knows. Imports neither Textual nor Rich."""

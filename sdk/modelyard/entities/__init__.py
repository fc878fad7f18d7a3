"""Server objects as small classes, and the repositories that find and create them."""

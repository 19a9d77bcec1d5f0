"""Server-rendered web pages (Jinja2); every step works with JavaScript off."""

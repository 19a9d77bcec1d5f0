"""What the REST API and the web pages share: the app factory, security headers, limits and errors."""

"""The JSON API of CONTRACT.md: blueprints that parse a request, call one domain function and render the result."""

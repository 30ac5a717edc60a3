"""The browser UI: Datasette over the store, read-only, on a local address."""

"""monitor: a streaming news-monitor daemon."""

"""Account linking: single-use link codes that bind a channel user to a trainer."""

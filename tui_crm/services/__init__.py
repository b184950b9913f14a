"""Business services. Never imports Textual; every call takes the acting user (Actor)."""

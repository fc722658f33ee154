"""The scheme language: its model, loading bundled or user files, and writing TOML back."""

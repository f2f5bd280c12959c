"""The briefing's typed content graph: loading, checks, reporting and rendering (see CONTRIBUTING.md)."""

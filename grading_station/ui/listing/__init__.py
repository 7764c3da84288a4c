"""Back Market listing workspace: batch listing with progress, per-unit listing state, the settings page."""

"""The Picking workspace: Back Market orders picked by scan and shipped with tracking."""

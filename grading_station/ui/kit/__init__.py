"""What every workspace is built from: background operations, station events, the workspace protocol."""

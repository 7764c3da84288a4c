"""Devices at the bench: the HID-wedge scan buffer, camera capture and barcode decoding."""

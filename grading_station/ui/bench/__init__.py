"""The technician's grading bench: scan, checklist, battery, photos, grade, commit."""

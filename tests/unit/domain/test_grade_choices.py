"""Possible grades and upgrades against the suggestion (Back Market's scale, best first, then outcomes)."""

from __future__ import annotations

from grading_station.domain.grade_choices import is_upgrade, possible_grades

CHOICES = ("premium", "excellent", "good", "fair", "repair", "parts")
SELLABLE = ("premium", "excellent", "good", "fair")


def test_a_sellable_suggestion_allows_every_grade():
    assert possible_grades(CHOICES, SELLABLE, "good") == CHOICES


def test_a_unit_sent_to_repair_cannot_be_given_a_sellable_grade():
    assert possible_grades(CHOICES, SELLABLE, "repair") == ("repair", "parts")


def test_only_a_better_sellable_grade_is_an_upgrade():
    assert is_upgrade(CHOICES, SELLABLE, "good", "excellent")
    assert is_upgrade(CHOICES, SELLABLE, "fair", "premium")
    assert not is_upgrade(CHOICES, SELLABLE, "good", "good")
    assert not is_upgrade(CHOICES, SELLABLE, "good", "fair")  # a downgrade
    assert not is_upgrade(CHOICES, SELLABLE, "good", "repair")
    assert not is_upgrade(CHOICES, SELLABLE, "repair", "parts")

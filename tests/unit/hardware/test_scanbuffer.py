import pytest

from grading_station.hardware.scanbuffer import MAX_BURST, ScanBuffer, ScanOutput


def feed(buffer: ScanBuffer, keys: list[tuple[str, int]]) -> ScanOutput:
    out = ScanOutput()
    for char, t in keys:
        out += buffer.feed(char, t)
    return out


def test_a_fast_burst_ended_by_enter_is_a_scan():
    buffer = ScanBuffer()
    out = buffer.feed_text("352099001761481\r", start_ms=1000, interval_ms=8)
    assert out == ScanOutput(scans=("352099001761481",))
    assert not buffer.holding


def test_tab_terminates_too():
    assert ScanBuffer().feed_text("C02XG0FDH7JY\t", 0, 5).scans == ("C02XG0FDH7JY",)


def test_typing_is_passed_through_in_order():
    buffer = ScanBuffer()
    out = buffer.feed_text("hello\r", start_ms=0, interval_ms=120)
    assert out == ScanOutput(typed="hello\r")


def test_a_short_fast_burst_is_typing():
    # A fast typist can hit a few keys within 30 ms; fewer than min_length is never a scan.
    out = ScanBuffer(min_length=6).feed_text("ok\r", 0, 10)
    assert out == ScanOutput(typed="ok\r")


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        # typed "a", pause, then a scan burst: "a" is released as typing, the burst is a scan
        (
            [("a", 0)] + [(c, 500 + i * 5) for i, c in enumerate("R58M12ABCDE\n")],
            ScanOutput("a", ("R58M12ABCDE",)),
        ),
        # a burst interrupted by a pause is typing (the pause splits it)
        (
            [(c, i * 5) for i, c in enumerate("ABC")] + [(c, 300 + i * 5) for i, c in enumerate("DEF\r")],
            ScanOutput("ABCDEF\r"),
        ),
        # the terminator arrives late: the burst is released as typing
        ([(c, i * 5) for i, c in enumerate("ABCDEFGH")] + [("\r", 500)], ScanOutput("ABCDEFGH\r")),
        # Enter on its own
        ([("\r", 0)], ScanOutput("\r")),
    ],
)
def test_timing_cases(keys, expected):
    assert feed(ScanBuffer(), keys) == expected


def test_poll_releases_a_lone_key_after_the_interval():
    buffer = ScanBuffer(max_interval_ms=30)
    assert buffer.feed("x", 100) == ScanOutput()
    assert buffer.holding and buffer.deadline_ms() == 131
    assert buffer.poll(120) == ScanOutput()
    assert buffer.poll(131) == ScanOutput(typed="x")
    assert not buffer.holding and buffer.deadline_ms() is None


def test_prefix_and_suffix_are_stripped_and_suffix_terminates():
    buffer = ScanBuffer(prefix="§", suffix="#")
    assert buffer.feed_text("§PF1ABCDE#", 0, 4) == ScanOutput(scans=("PF1ABCDE",))
    assert buffer.feed_text("§PF1ABCDE\r", 100, 4) == ScanOutput(scans=("PF1ABCDE",))


def test_prefix_does_not_count_towards_min_length():
    assert ScanBuffer(prefix="]C0", min_length=6).feed_text("]C0ABC\r", 0, 4) == ScanOutput(typed="]C0ABC\r")


def test_without_terminator_a_finished_burst_is_a_scan_on_poll():
    buffer = ScanBuffer(require_terminator=False)
    assert buffer.feed_text("R58M12ABCDE", 0, 5) == ScanOutput()
    assert buffer.poll(50 + 31) == ScanOutput(scans=("R58M12ABCDE",))
    # and a burst followed by more keys after a pause completes when the next key arrives
    out = buffer.feed_text("C02XG0FDH7JY", 1000, 5) + buffer.feed("z", 2000)
    assert out == ScanOutput(scans=("C02XG0FDH7JY",))
    assert buffer.pending == "z"


def test_two_scans_back_to_back():
    out = ScanBuffer().feed_text("R58M12ABCDE\rC02XG0FDH7JY\r", 0, 3)
    assert out.scans == ("R58M12ABCDE", "C02XG0FDH7JY")


def test_a_500_char_burst_is_returned_whole_for_the_identifier_check_to_refuse():
    out = ScanBuffer().feed_text("A" * 500 + "\r", 0, 1)
    assert out.scans == ("A" * 500,)


def test_a_runaway_burst_is_cut_at_the_bound():
    out = ScanBuffer().feed_text("B" * (MAX_BURST + 10), 0, 1)
    assert out.scans == ("B" * MAX_BURST,)
    assert ScanBuffer().feed_text("", 0, 1) == ScanOutput()


@pytest.mark.parametrize("text", ["R58M12ABCDE\r\n", "R58M12ABCDE\n\r", "R58M12ABCDE\r\t"])
def test_a_two_character_terminator_leaves_no_stray_enter(text):
    assert ScanBuffer().feed_text(text, 0, 5) == ScanOutput(scans=("R58M12ABCDE",))


def test_a_suffix_followed_by_enter_leaves_no_stray_enter():
    assert ScanBuffer(suffix="#").feed_text("PF1ABCDE#\r", 0, 5) == ScanOutput(scans=("PF1ABCDE",))


def test_an_enter_typed_after_a_scan_is_typing():
    buffer = ScanBuffer()
    buffer.feed_text("R58M12ABCDE\r", 0, 5)
    assert buffer.feed("\r", 400) == ScanOutput(typed="\r")


def test_a_burst_without_terminator_then_enter_from_poll():
    buffer = ScanBuffer(require_terminator=False)
    buffer.feed_text("R58M12ABCDE", 0, 5)
    assert buffer.poll(90) == ScanOutput(scans=("R58M12ABCDE",))
    assert buffer.feed("\r", 100) == ScanOutput()  # the late terminator belongs to the scan


def test_in_a_free_text_field_a_fast_burst_that_is_no_scan_stays_typing():
    buffer = ScanBuffer()
    buffer.free_text = lambda value: value.isdigit()  # "looks like a scan"
    out = buffer.feed_text("screen replaced\r", 0, 8)  # a fast typist, at scanner speed
    assert out == ScanOutput(typed="screen replaced\r")
    assert buffer.feed_text("352099001761481\r", 1000, 8).scans == ("352099001761481",)


def test_in_a_free_text_field_a_scanner_with_a_suffix_must_send_it():
    buffer = ScanBuffer(suffix="#")
    buffer.free_text = lambda value: True
    assert buffer.feed_text("352099001761481\r", 0, 8) == ScanOutput(typed="352099001761481\r")
    assert buffer.feed_text("352099001761481#", 1000, 8).scans == ("352099001761481",)


def test_in_a_free_text_field_a_burst_without_terminator_is_typing():
    buffer = ScanBuffer(require_terminator=False)
    buffer.free_text = lambda value: True
    buffer.feed_text("ABCDEFGH", 0, 5)
    assert buffer.poll(500) == ScanOutput(typed="ABCDEFGH")

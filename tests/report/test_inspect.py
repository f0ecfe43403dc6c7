"""The inspection report: `filterkit.inspect` and `filterkit inspect`, checked as HTML and,
in a headless Chromium, as a page a person uses (slider, body-only switch, explanations)."""
from __future__ import annotations

import gzip
import json
import os
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest

import filterkit
from filterkit.cli import main
from filterkit.filter import Filter, default_filter
from filterkit.model.store import HTML_MODEL, shipped_model_path
from filterkit.read import to_document
from filterkit.report.inspect import THRESHOLD_STEPS, inspect
from filterkit.scale.records import Item

pytestmark = pytest.mark.usefixtures("shipped_model")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Without these Chromium keeps trying to reach Google's services (updates, sync, QUIC).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1200,1600")


class Paragraphs(HTMLParser):
    """The paragraph elements of a report: their attributes and their text."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self._field: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "p" in classes:
            self.found.append({**attrs, "text": "", "classes": classes})
        elif self.found and "text" in classes:
            self._field = "text"

    def handle_endtag(self, tag):
        if tag == "div":
            self._field = None

    def handle_data(self, data):
        if self._field:
            self.found[-1][self._field] += data


def _paragraphs(page: str) -> list[dict]:
    parser = Paragraphs()
    parser.feed(page)
    return parser.found


def _items(texts) -> list[Item]:
    return [Item(f"doc-{i}", document=to_document(t, "auto")) for i, t in enumerate(texts)]


def test_every_paragraph_is_shown_with_its_label_score_and_reasons(articles):
    texts = articles(2, seed=8)
    page = inspect(default_filter(), _items(texts)).to_html()
    shown = _paragraphs(page)
    expected = [(p, d) for t in texts for p, d in filterkit.classify(t).labelled()]
    assert [p["text"] for p in shown] == [p.text for p, _ in expected]
    for element, (_, decision) in zip(shown, expected):
        assert f"label-{decision.label}" in element["classes"]
        assert ("kept" in element["classes"]) == decision.is_content
        assert float(element["data-score"]) == pytest.approx(decision.score, abs=1e-4)
        assert "→" in element["title"]  # the hover text carries the reasons
    assert page.count('<ol class="why"><li class="to-') == len(expected)


def test_the_slider_steps_replay_the_librarys_decision_at_each_threshold(articles):
    text = articles(1, seed=9)[0]
    report = inspect(default_filter(), _items([text]))
    labels = report.documents[0].labels
    own = default_filter().threshold
    for step, threshold in enumerate(report.steps):
        # At the model's own threshold, the library's default decision (which may lower
        # the threshold on this document); elsewhere what `--threshold` keeps.
        at = Filter() if threshold == own else Filter(threshold=threshold)
        expected = [d.label for d in at.classify(text).decisions]
        assert [paragraph[step] for paragraph in labels] == expected, threshold
    assert set(THRESHOLD_STEPS) <= set(report.steps) and report.threshold == own
    assert len({tuple(p) for p in zip(*labels)}) > 2  # moving the slider changes what is kept


def test_the_page_is_self_contained_and_escapes_the_text():
    text = ("Breaking: <script>alert('x')</script> & more\n"
            "The council met on Tuesday and agreed a plan for the city centre, with new cycle lanes.")
    page = inspect(default_filter(), _items([text])).to_html()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(|<link|<iframe""", page, re.I)
    assert "default-src 'none'" in page  # and the browser is told to load nothing


def test_documents_beyond_the_cap_are_left_out_with_a_note(articles):
    report = inspect(default_filter(), _items(articles(4, seed=1)), max_documents=3)
    assert len(report.documents) == 3 and report.truncated
    assert "Only the first 3 documents are shown; the input has more" in report.to_html()
    exact = inspect(default_filter(), _items(articles(3, seed=1)), max_documents=3)
    assert not exact.truncated and "Only the first" not in exact.to_html()


def test_cli_inspect_reads_text_and_jsonl(tmp_path, articles, capsys):
    text, record = articles(2, seed=2)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    records = [json.dumps({"text": record, "id": "r1"}), "not json", json.dumps({"body": "x"})]
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress("\n".join(records).encode()))
    report = tmp_path / "report.html"
    status = main(["inspect", "-o", str(report), str(tmp_path / "a.txt"), str(tmp_path / "c.jsonl.gz")])
    out, err = capsys.readouterr()
    assert status == 3, err  # two records could not be read
    assert "wrote" in out and "2 documents" in out
    page = report.read_text(encoding="utf-8")
    assert re.findall(r"<h2>(.*?)</h2>", page) == [str(tmp_path / "a.txt"), f"{tmp_path / 'c.jsonl.gz'}:1"]
    assert "c.jsonl.gz:2 could not be read: not valid JSON" in page
    assert "c.jsonl.gz:3 could not be read: the record has no &#x27;text&#x27; field" in page
    shown = _paragraphs(page)
    assert [p["text"] for p in shown] == [p.text for t in (text, record) for p in filterkit.classify(t).paragraphs]


def test_cli_inspect_reads_html(tmp_path, articles, capsys):
    if not shipped_model_path(HTML_MODEL).is_file():
        pytest.skip(f"the shipped HTML model {HTML_MODEL} has not been trained yet")
    lines = articles(1, seed=3)[0].splitlines()
    page_html = "<html><head><title>Page</title></head><body><nav><a href='/'>Home</a></nav><article>" + "".join(
        f"<p>{line}</p>" for line in lines) + "</article></body></html>"
    (tmp_path / "b.html").write_text(page_html, encoding="utf-8")
    report = tmp_path / "report.html"
    assert main(["inspect", "-o", str(report), str(tmp_path / "b.html")]) == 0, capsys.readouterr().err
    page = report.read_text(encoding="utf-8")
    shown = _paragraphs(page)
    expected = filterkit.classify(page_html, format="html")
    assert [(p["text"], p["classes"][1]) for p in shown] == [
        (p.text, f"label-{d.label}") for p, d in expected.labelled()]
    # The slider starts at the HTML model's own threshold, and the page names that model.
    f = Filter()
    html_threshold = f.point_for(f.html_model).threshold
    assert f"{HTML_MODEL} (threshold {html_threshold:.2f})" in page
    assert f'<span id="threshold-value">{html_threshold:.2f}</span>' in page


def test_cli_inspect_notes_the_cap(tmp_path, articles, capsys):
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in articles(3, seed=4)), encoding="utf-8")
    status = main(["inspect", "--max-documents", "2", "-o", str(tmp_path / "r.html"), str(source)])
    out, _ = capsys.readouterr()
    assert status == 0
    assert "2 documents (the first 2; there were more)" in out
    assert "Only the first 2 documents are shown" in (tmp_path / "r.html").read_text(encoding="utf-8")


# --- in a browser ------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path):
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        missing = (f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}); "
                   "`apt-get install chromium chromium-driver` (.ci/run installs them)")
        if os.environ.get("FILTERKIT_REQUIRE_CHROMIUM") == "1":
            pytest.fail(missing)
        pytest.skip(missing)
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / f'profile-{uuid.uuid4().hex}'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _kept(driver) -> list[int]:
    return driver.execute_script(
        "return [...document.querySelectorAll('.p')].map((p, i) => p.classList.contains('kept') ? i : -1)"
        ".filter(i => i >= 0)")


@pytest.mark.slow
@pytest.mark.requires_shared
def test_the_report_works_in_a_browser(browser, tmp_path, seeds_dir, capsys):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    seeds = sorted(str(p) for p in seeds_dir.glob("00[34]_*.txt"))
    report = tmp_path / "report.html"
    assert main(["inspect", "-o", str(report), *seeds]) == 0
    browser.get(report.as_uri())

    # the paragraphs and their labels, as the library decided them
    expected = [d for seed in seeds for d in filterkit.classify(Path(seed).read_text(encoding="utf-8")).decisions]
    elements = browser.find_elements(By.CSS_SELECTOR, ".p")
    assert [e.find_element(By.CSS_SELECTOR, ".tag").text.lower() for e in elements] == [d.label for d in expected]
    assert _kept(browser) == [i for i, d in enumerate(expected) if d.is_content]
    assert "Leave a Reply" in browser.find_element(By.CSS_SELECTOR, "#doc-1").text

    # the explanation opens on click, naming the comment prompt's words
    prompt = next(e for e in elements if e.find_element(By.CSS_SELECTOR, ".text").text == "Leave a Reply")
    why = prompt.find_element(By.CSS_SELECTOR, ".why")
    assert not why.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView()", prompt)
    prompt.click()
    assert why.is_displayed() and "its words" in why.text

    # moving the threshold changes what is kept, and the junk share
    shares = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".junk-share")]
    slider = browser.find_element(By.ID, "threshold")
    before = _kept(browser)
    start = float(browser.find_element(By.ID, "threshold-value").text)  # the model's own threshold
    browser.execute_script("window.scrollTo(0, 0)")
    for _ in range(12):
        slider.send_keys(Keys.ARROW_RIGHT)
    assert browser.find_element(By.ID, "threshold-value").text == f"{min(start + 12 * 0.05, 1.0):.2f}"
    after = _kept(browser)
    assert set(after) < set(before)
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".junk-share")] != shares
    dropped = elements[min(set(before) - set(after))]
    assert "label-content" not in dropped.get_attribute("class")

    # the cleaned body alone
    browser.find_element(By.ID, "body-only").click()
    assert [i for i, e in enumerate(elements) if e.is_displayed()] == after
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""The runner's statistics, verdicts and reports, from recorded samples (no server)."""

from bench import pages, report, stats
from bench.serve import install


def _samples(latencies, seconds=10.0, errors=(), server=None) -> stats.Samples:
    samples = stats.Samples(seconds=seconds)
    for i, ms in enumerate(latencies):
        samples.add(200 if i % 2 else 302, ms, server[i] if server else None)
    for status in errors:
        samples.add(status, 1.0, None)
    return samples


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert stats.percentile(values, 0.50) == 50
    assert stats.percentile(values, 0.95) == 95
    assert stats.percentile(values, 0.99) == 99
    assert stats.percentile([7.0], 0.99) == 7
    assert stats.percentile([], 0.5) is None


def test_redirects_succeed_and_client_or_server_errors_count():
    figures = stats.summarise(_samples([10.0] * 40, seconds=4, errors=(404, 500, 599)))
    assert figures["requests"] == 43 and figures["errors"] == 3
    assert figures["rps"] == 10.0  # successes per second
    assert figures["statuses"] == {"200": 20, "302": 20, "404": 1, "500": 1, "599": 1}


def test_verdicts_use_server_time_and_the_kind_of_page():
    slow = stats.summarise(_samples([90.0] * 20, server=[60.0] * 20))
    assert stats.verdicts("page", slow, 100.0)["p95_met"] is False
    assert stats.verdicts("search", slow, 100.0)["p95_met"] is True
    share = stats.verdicts("page", slow, ceiling_rps=4.0)
    assert share["ceiling_share"] == 0.5 and share["ceiling_met"] is True
    assert stats.verdicts("search", slow, 4.0)["ceiling_met"] is None  # not a search target


def test_growth_against_its_limit():
    small = {"server_p95": 20.0, "p95": 25.0}
    assert stats.growth("page", small, {"server_p95": 29.0})["met"] is True
    assert stats.growth("page", small, {"server_p95": 31.0})["met"] is False
    assert stats.growth("search", small, {"server_p95": 59.0})["met"] is True
    assert round(stats.growth("search", small, {"server_p95": 59.0})["ratio"], 2) == 2.95


def _result(scale: float, slow_ms: float) -> dict:
    names = ["ceiling (base layout, no database)", "home", "unified search"]
    samples = {names[0]: _samples([2.0] * 50, server=[1.0] * 50),
               names[1]: _samples([slow_ms] * 20, server=[slow_ms] * 20),
               names[2]: _samples([slow_ms] * 10, errors=(500,), server=[slow_ms] * 10)}
    machine = {"cores": 2, "memory_mb": 1024, "cpu": "test", "commit": "abc", "date": "today",
               "load_before": [1.0, 1, 1], "load_after": [2.0, 2, 2]}
    info = {"counts": {"members": 550, "posts": 5000, "topics": 500, "documents": 500,
                       "groups": 20, "nominations": 60, "events": 50},
            "seconds": {"generate": 10, "index": 5}, "page_chars": 1500}
    settings = {"scale": scale, "db": "sqlite", "duration": 10, "clients": 4, "workers": 2,
                "threads": 1}
    return report.build(samples, {"max_rss_mb": 120.0}, machine, info, settings)


def test_report_names_every_page_its_ratio_to_the_ceiling_and_what_missed(tmp_path):
    result = _result(1, slow_ms=80.0)
    home = next(r for r in result["pages"] if r["name"] == "home")
    assert home["ceiling_share"] == 0.4 and home["p95_met"] is False
    text = report.markdown(result)
    assert "| home | 2.0 | 40% |" in text and "**MISSED**" in text
    assert "Errors: 1 in" in text and "120.0 MB" in text
    json_path, md_path = report.write(result, tmp_path)
    assert json_path.name == "s1-sqlite.json" and md_path.read_text().startswith("### S=1")
    assert report.load(tmp_path, 1.0, "sqlite")["pages"][1]["name"] == "home"


def test_compare_puts_two_scales_side_by_side():
    text = report.compare(_result(1, slow_ms=20.0), _result(100, slow_ms=40.0))
    assert "| home | 20.0 | 40.0 | 2.00x | - | - | - | 1.5x | **MISSED** |" in text
    assert "| unified search | 20.0 | 40.0 | 2.00x | - | - | - | 3x | met |" in text


def test_every_page_has_a_kind_with_a_target():
    assert {p.kind for p in pages.PAGES} == {"ceiling", "reference", "page", "search", "write"}
    assert pages.by_name(["home"])[0].kind == "ceiling"  # always measured, first


def test_ceiling_is_public_and_every_answer_says_its_server_time(app_factory):
    app = install(app_factory(), with_ceiling=True, with_timing=True)
    response = app.test_client().get("/_bench/ceiling")
    assert response.status_code == 200 and "PCBs Elimination Network" in response.text
    assert float(response.headers["X-Bench-Server-Ms"]) >= 0
    assert float(response.headers["X-Bench-Server-CPU-Ms"]) >= 0


def test_without_the_switches_there_is_no_ceiling_and_no_header(app_factory):
    app = install(app_factory(), with_ceiling=False, with_timing=False)
    response = app.test_client().get("/_bench/ceiling")
    assert response.status_code in (302, 404) and "X-Bench-Server-Ms" not in response.headers


def test_summary_sets_runs_side_by_side():
    text = report.summary([_result(1, slow_ms=20.0), _result(10, slow_ms=30.0)])
    assert text.splitlines()[0] == "| Page (target p95) | S=1 SQLite | S=10 SQLite |"
    assert "| home (≤ 50 ms) | 20.0 (-) ms, 2/s | 30.0 (-) ms, 2/s |" in text
    assert "1 err" in text and "| worker memory, max (≤ 250 MB) | 120.0 MB | 120.0 MB |" in text

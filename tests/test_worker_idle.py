"""A worker with nothing to do says so: every task's report is falsy, so `worker --once`
(and every test that drains the worker) stops."""

from pen import worker
from pen.admin import demo


def test_after_the_demo_is_drained_a_pass_reports_no_work(app):
    demo.seed()
    for _ in range(20):
        if not any(result for result in worker.run_pass().values()):
            break
    busy = {name: str(result) for name, result in worker.run_pass().items() if result}
    assert busy == {}

"""Property tests (Hypothesis): no input makes the sanitiser, the ``next`` check, the CSV
importer or the search parser raise or produce unsafe output.

One profile for every run: derandomized, so CI sees the same examples each time (a
failure is reproducible from the printed blob), no per-example deadline (the machine
is shared), and few enough examples that the suite stays well under a minute.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "pen-fuzz", max_examples=200, deadline=None, derandomize=True, print_blob=True,
    database=None,  # derandomized: an example database would only replay the same cases
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
settings.load_profile("pen-fuzz")

"""Run the library app's tests from Python, as the README's *From Python* shows."""

import os
import sys

import django


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    django.setup()

    from concurrent_test_app.runner import ConcurrentTestRunner

    runner = ConcurrentTestRunner(workers=2, junitxml="test-results.xml", benchmark=True)
    failures = runner.run_tests(["library"])

    summary = runner.prometheus_metrics.get_metrics_summary()
    print(f"Average test duration: {summary['test_duration_avg']:.3f}s")
    return bool(failures)


# Every spawn worker imports this file again: without the guard each one would start
# a test run of its own.
if __name__ == "__main__":
    sys.exit(main())

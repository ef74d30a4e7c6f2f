"""A throwaway Airflow home per test session, set before anything imports airflow (its settings are
read at import): SQLite metadata database, this project's dags folder, no example DAGs."""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "airflow" / "dags"
DAG_FILE = DAGS / "poa_epoch_settlement.py"

_home = Path(tempfile.mkdtemp(prefix="poa-airflow-"))
os.environ.update({
    "AIRFLOW_HOME": str(_home),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
})
for name in ("POA_GENESIS", "POA_EPOCH_LENGTH", "POA_FIRST_EPOCH", "POA_AIRFLOW_RUNNER", "POA_HOME"):
    os.environ.pop(name, None)


def load_dag_module(env: dict[str, str], name: str = "poa_dag_under_test"):
    """Imports the DAG file afresh with `env` set, as the dag processor would parse it there."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        spec = importlib.util.spec_from_file_location(name, DAG_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="session")
def airflow_db():
    """The metadata database, migrated once per session."""
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, timeout=600)
    yield _home


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_home, ignore_errors=True)

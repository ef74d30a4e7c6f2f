"""No private key reaches spark-submit's arguments or environment where a cluster master would publish
it. A stand-in `spark-submit` on PATH records its arguments and environment; the DAG's real settle
and audit operators run through the real Spark provider against it, for every master kind the DAG
supports (local, standalone, YARN, Kubernetes)."""
import json
import os
import stat
import sys

import pytest
from conftest import load_dag_module

SETTLER_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
TREASURY_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
MASTERS = {
    "local": "local[2]",
    "standalone": "spark://127.0.0.1:7077",
    "yarn": "yarn",
    "k8s": "k8s://https://127.0.0.1:6443",
}


@pytest.fixture()
def standin(tmp_path, monkeypatch):
    """A `spark-submit` that appends {argv, env} as one JSON line to a file and exits 0."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "calls.jsonl"
    script = bin_dir / "spark-submit"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"with open({str(record)!r}, 'a') as f:\n"
        "    f.write(json.dumps({'argv': sys.argv[1:], 'env': dict(os.environ)}) + '\\n')\n"
        # What a Kubernetes submission prints when its driver ends well; the provider checks it.
        "print('Exit code: 0')\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("SPARK_HOME", raising=False)
    for name in [k for k in os.environ if k.startswith("POA_")]:
        monkeypatch.delenv(name)
    # No Kubernetes here: the provider wants its client only to follow the driver pod, which the
    # stand-in never creates. Everything the command line and environment hold is the provider's own.
    from airflow.providers.apache.spark.hooks import spark_submit

    monkeypatch.setattr(spark_submit, "kube_client", object(), raising=False)

    def calls():
        if not record.exists():
            return []
        return [json.loads(line) for line in record.read_text().splitlines()]

    return calls


def connections(monkeypatch, master: str, chain_extra: dict, chain_password: str | None,
                treasury_extra: dict, treasury_password: str | None):
    spark = {"conn_type": "spark", "host": master}
    if master.startswith("k8s://"):
        spark["extra"] = {"deploy-mode": "cluster"}  # the driver pod is where driverEnv and secretKeyRef land
    monkeypatch.setenv("AIRFLOW_CONN_POA_SPARK", json.dumps(spark))
    chain = {"conn_type": "generic", "extra": {"rpc_url": "http://127.0.0.1:8545", "chain_id": 31337,
                                                "distributor": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                                                **chain_extra}}
    if chain_password:
        chain["password"] = chain_password
    treasury = {"conn_type": "generic", "extra": treasury_extra}
    if treasury_password:
        treasury["password"] = treasury_password
    monkeypatch.setenv("AIRFLOW_CONN_POA_CHAIN", json.dumps(chain))
    monkeypatch.setenv("AIRFLOW_CONN_POA_TREASURY", json.dumps(treasury))


def run_step(step: str):
    dag = load_dag_module({}).dag
    task = dag.get_task(step)
    task.execute(context={})
    return task


def added_env(call: dict) -> dict:
    """What the DAG and the provider put into spark-submit's environment beyond the worker's own."""
    return {k: v for k, v in call["env"].items() if os.environ.get(k) != v}


def text_of(call: dict) -> str:
    return json.dumps(call["argv"]) + json.dumps(added_env(call))


KEYSTORES = ({"keystore": "/etc/poa/settler.json", "password_file": "/etc/poa/settler.password"},
             {"keystore": "/etc/poa/treasury.json", "password_file": "/etc/poa/treasury.password"})


@pytest.mark.parametrize("kind", sorted(MASTERS))
def test_keystores_travel_as_paths_only_for_every_master(kind, standin, monkeypatch):
    connections(monkeypatch, MASTERS[kind], KEYSTORES[0], None, KEYSTORES[1], None)
    run_step("settle")
    run_step("audit")
    settle, audit = standin()
    for call in (settle, audit):
        assert SETTLER_KEY not in text_of(call) and TREASURY_KEY not in text_of(call)
        assert "POA_PRIVATE_KEY" not in text_of(call) and "POA_TREASURY_PRIVATE_KEY" not in text_of(call)
    # settle gets the paths (as --conf on yarn/k8s, in the process environment elsewhere) ...
    assert "/etc/poa/settler.json" in text_of(settle) and "/etc/poa/treasury.password" in text_of(settle)
    if kind in ("yarn", "k8s"):
        prefix = "spark.yarn.appMasterEnv." if kind == "yarn" else "spark.kubernetes.driverEnv."
        assert f"{prefix}POA_KEYSTORE=/etc/poa/settler.json" in settle["argv"]
    else:
        assert settle["env"]["POA_KEYSTORE"] == "/etc/poa/settler.json"
    assert settle["env"].get("POA_RPC_URL") == "http://127.0.0.1:8545" or any("POA_RPC_URL=" in a for a in settle["argv"])
    # ... and audit, which signs nothing, gets no key material of any kind.
    assert "KEYSTORE" not in text_of(audit) and "secretKeyRef" not in text_of(audit)
    assert "/etc/poa/" not in text_of(audit)


@pytest.mark.parametrize("kind", ["local", "standalone"])
def test_a_raw_key_stays_in_the_process_environment_on_client_masters(kind, standin, monkeypatch):
    connections(monkeypatch, MASTERS[kind], {}, SETTLER_KEY, {}, TREASURY_KEY)
    run_step("settle")
    run_step("audit")
    settle, audit = standin()
    assert SETTLER_KEY not in json.dumps(settle["argv"]) and TREASURY_KEY not in json.dumps(settle["argv"])
    assert settle["env"]["POA_PRIVATE_KEY"] == SETTLER_KEY
    assert settle["env"]["POA_TREASURY_PRIVATE_KEY"] == TREASURY_KEY
    assert SETTLER_KEY not in text_of(audit) and TREASURY_KEY not in text_of(audit)


@pytest.mark.parametrize("kind", ["yarn", "k8s"])
def test_a_raw_key_is_refused_on_cluster_masters_before_spark_submit_runs(kind, standin, monkeypatch):
    connections(monkeypatch, MASTERS[kind], {}, SETTLER_KEY, {}, None)
    with pytest.raises(ValueError, match=f"connection 'poa_chain' holds a raw private key, which a {kind} master would publish"):
        run_step("settle")
    assert standin() == []
    # The audit needs no key, so the same connection serves it.
    run_step("audit")
    (audit,) = standin()
    assert SETTLER_KEY not in text_of(audit)


def test_on_kubernetes_a_secret_reference_travels_instead_of_the_key(standin, monkeypatch):
    connections(monkeypatch, MASTERS["k8s"], {"k8s_secret": "poa-keys:settler"}, SETTLER_KEY,
                {"k8s_secret": "poa-keys:treasury"}, TREASURY_KEY)
    run_step("settle")
    (settle,) = standin()
    assert "spark.kubernetes.driver.secretKeyRef.POA_PRIVATE_KEY=poa-keys:settler" in settle["argv"]
    assert "spark.kubernetes.driver.secretKeyRef.POA_TREASURY_PRIVATE_KEY=poa-keys:treasury" in settle["argv"]
    assert SETTLER_KEY not in text_of(settle) and TREASURY_KEY not in text_of(settle)


def test_kubernetes_in_client_mode_is_refused_for_the_chain_steps(standin, monkeypatch):
    connections(monkeypatch, MASTERS["k8s"], KEYSTORES[0], None, {}, None)
    monkeypatch.setenv("AIRFLOW_CONN_POA_SPARK", json.dumps({"conn_type": "spark", "host": MASTERS["k8s"]}))
    with pytest.raises(ValueError, match="on Kubernetes the chain steps need the extra deploy-mode cluster"):
        run_step("settle")
    assert standin() == []


@pytest.mark.parametrize("master", ["yarn", "yarn-cluster", "k8s://https://h:6443", "spark://h:7077", "local[*]", "local"])
def test_master_kinds_agree_with_the_provider(master, monkeypatch):
    """The DAG decides where keys may go by the same rule the provider uses to turn env into --conf."""
    from airflow.providers.apache.spark.hooks import spark_submit

    monkeypatch.setattr(spark_submit, "kube_client", object(), raising=False)
    monkeypatch.setenv("AIRFLOW_CONN_POA_SPARK", json.dumps({"conn_type": "spark", "host": master}))
    hook = spark_submit.SparkSubmitHook(conn_id="poa_spark")
    kind = load_dag_module({}).master_kind(master)
    assert (kind == "yarn") == hook._is_yarn
    assert (kind == "k8s") == hook._is_kubernetes

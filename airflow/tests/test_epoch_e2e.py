"""One epoch through the real DAG on a real Airflow: dag.test() runs every task in process, each step a
spark-submit of the project's jar on local Spark, against a temporary lakehouse fed from a landing
folder of generated inputs, settling on anvil with a freshly deployed distributor. Then the same epoch
again with the single-machine runner (each step `bin/poa` of the checkout): every task succeeds, no
table gets a new version and no transaction is sent. The re-run runs the steps whose tasks differ under
that runner (ingest: the batch folder; settle: the signing key; audit: the chain without a key) and
marks the others done: every step's own re-run writing nothing is EpochCommandIT's, in one JVM."""
import hashlib
import json
import logging
import os
import socket
import subprocess
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import DAGS, ROOT

UTC = timezone.utc
CHAIN_ID = 31337
# anvil's public development keys #0 and #1 (never a real secret).
KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
ADDRESS0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
ADDRESS1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
JAR = ROOT / "jobs" / "target" / "poa-jobs-0.1.0-SNAPSHOT-app.jar"
EPOCH_1_END = datetime(2026, 1, 2, tzinfo=UTC)
# The re-run's tasks marked done instead of run: PoaCliOperator runs them as it runs ingest, and each
# is a JVM of ~20 s on this machine.
RERUN_MARKED = r"^(train|review|index|attribute|rewards|merkle)$"
# The JVM options of every poa process here: C1 only and the serial collector. On a few hundred rows,
# C2 compiling Spark's code costs more CPU than the step itself (28 s of it in a 23 s run, measured).
# The code cache stays at tiered compilation's 240 MB: C1 alone gets 48 MB, which a longer run fills
# (the JVM then stops compiling; see Poa.QUICK_JVM).
# Spark's expressions and whole stages are interpreted, not generated and compiled per task and query,
# and queries run over two shuffle partitions without adaptive execution (as system properties, which
# SparkConf reads): on these rows code generation and per-stage re-planning are most of a step's CPU
# (see Poa.SMALL_DATA).
QUICK_JVM = ("-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m -XX:+UseSerialGC"
             " -Dspark.sql.codegen.factoryMode=NO_CODEGEN -Dspark.sql.codegen.wholeStage=false"
             " -Dspark.sql.adaptive.enabled=false -Dspark.sql.shuffle.partitions=2")


def poa(*args: str, env: dict | None = None) -> str:
    """bin/poa with the default calendar; its stdout, or the test fails with its last words."""
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("POA_")}
    run_env["POA_JAVA_OPTS"] = QUICK_JVM
    run_env.update(env or {})
    done = subprocess.run([str(ROOT / "bin" / "poa"), *args], capture_output=True, text=True, env=run_env, timeout=1200)
    assert done.returncode == 0, f"poa {' '.join(args)} exited {done.returncode}: {done.stderr[-3000:]}"
    return done.stdout


def rpc(url: str, method: str, params: list):
    request = urllib.request.Request(url, json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    assert "error" not in answer, answer
    return answer["result"]


def selector(signature: str) -> str:
    from Crypto.Hash import keccak  # an implementation independent of web3j's

    return keccak.new(digest_bits=256, data=signature.encode()).hexdigest()[:8]


@pytest.fixture(scope="module")
def anvil():
    contracts = ROOT / "contracts"
    binary = contracts / "node_modules" / ".bin" / "anvil"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=contracts, check=True, timeout=900)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([str(binary), "--host", "127.0.0.1", "--port", str(port), "--chain-id", str(CHAIN_ID),
                                "--silent"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            rpc(url, "eth_chainId", [])
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "anvil did not start"
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def world(tmp_path_factory, anvil):
    """Generated inputs for epoch 1 in the landing layout, a deployed distributor, and the Airflow
    variables and connections the DAG reads (as environment variables, the way a deployment may)."""
    work = tmp_path_factory.mktemp("epoch")
    poa("--help")  # builds the jar when the checkout is newer than it
    landing = work / "landing" / "epoch=1"
    # generate writes a batch folder: <kind>/<kind>.jsonl, as producers deliver an epoch's inputs.
    poa("generate", "--out", str(landing), "--epochs", "1", "--contributions", "150", "--inferences", "200",
        "--seed", "11")
    (landing / "_SUCCESS").touch()
    deployed = json.loads(poa("deploy", "--demo-token", "--dev", "--activation-delay", "0",
                              env={"POA_RPC_URL": anvil, "POA_CHAIN_ID": str(CHAIN_ID), "POA_PRIVATE_KEY": KEY0}))
    settings = {
        "AIRFLOW_VAR_POA_LAKEHOUSE": str(work / "lakehouse"),
        "AIRFLOW_VAR_POA_LANDING": str(work / "landing"),
        "AIRFLOW_VAR_POA_JAR": str(JAR),
        "AIRFLOW_VAR_POA_TREASURY": ADDRESS1,
        "AIRFLOW_VAR_POA_DRIVER_MEMORY": "1g",
        "AIRFLOW_VAR_POA_DRIVER_JAVA_OPTIONS": QUICK_JVM,
        "AIRFLOW_CONN_POA_SPARK": json.dumps({"conn_type": "spark", "host": "local[2]"}),
        "AIRFLOW_CONN_POA_CHAIN": json.dumps({"conn_type": "generic", "password": KEY0, "extra": {
            "rpc_url": anvil, "chain_id": CHAIN_ID, "distributor": deployed["distributor"]}}),
        # The treasury tops the distributor up: the demo token was minted to key #0.
        "AIRFLOW_CONN_POA_TREASURY": json.dumps({"conn_type": "generic", "password": KEY0}),
    }
    saved = dict(os.environ)
    for key in [k for k in os.environ if k.startswith("POA_")]:
        del os.environ[key]  # the DAG must get its chain settings and keys from the connections
    os.environ.update(settings)
    yield {"work": work, "lakehouse": work / "lakehouse", "rpc": anvil, "distributor": deployed["distributor"]}
    os.environ.clear()
    os.environ.update(saved)


def the_dag():
    """The DAG as the dag processor parses it now (with the runner POA_AIRFLOW_RUNNER says)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag.dags["poa_epoch_settlement"]


def task_states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def lakehouse_state(lakehouse: Path) -> dict[str, object]:
    """Each table's newest Delta version, and the tree files' digests: what a re-run must not change."""
    state: dict[str, object] = {}
    for log in sorted(lakehouse.glob("*/_delta_log")):
        versions = [int(p.stem) for p in log.glob("*.json") if p.stem.isdigit()]
        state[log.parent.name] = max(versions)
    for tree in sorted(lakehouse.glob("epochs/*/tree.json")):
        state[str(tree.relative_to(lakehouse))] = hashlib.sha256(tree.read_bytes()).hexdigest()
    return state


def chain_state(url: str) -> dict[str, str]:
    return {"block": rpc(url, "eth_blockNumber", []),
            "nonce": rpc(url, "eth_getTransactionCount", [ADDRESS0, "latest"])}


def tree_root(lakehouse: Path, epoch: int) -> str:
    """The root of the epoch's tree.json (OpenZeppelin's dump: the root is the first node), read
    without another JVM."""
    root = json.loads((lakehouse / "epochs" / str(epoch) / "tree.json").read_text())["tree"][0]
    assert root.startswith("0x") and len(root) == 66, root
    return root


def on_chain_root(url: str, distributor: str, epoch: int) -> str:
    data = "0x" + selector("epochRoot(uint64)") + f"{epoch:064x}"
    return rpc(url, "eth_call", [{"to": distributor, "data": data}, "latest"])


def test_one_epoch_end_to_end_then_a_rerun_changes_nothing(airflow_db, world, capfd):
    dag = the_dag()
    before = chain_state(world["rpc"])

    run = dag.test(logical_date=EPOCH_1_END)

    states = task_states(run)
    assert str(run.state) == "success", states
    assert set(states.values()) == {"success"}, states
    assert sorted(states) == sorted(
        ["epoch", "wait_for_inputs", "ingest", "train", "review", "index", "attribute", "rewards", "merkle", "settle", "audit"])
    # train fitted the batch's classifier: its checkpoints are in the lakehouse.
    assert (Path(world["lakehouse"]) / "model_checkpoints" / "_delta_log").is_dir()
    root = tree_root(world["lakehouse"], 1)
    assert on_chain_root(world["rpc"], world["distributor"], 1) == root
    printed = capfd.readouterr()
    # The task logs carry the jobs' own lines (so this capture sees them), never the keys of the connections.
    assert f"epoch 1: root {root}" in printed.out + printed.err
    assert KEY0[2:] not in printed.out + printed.err
    after = chain_state(world["rpc"])
    assert int(after["nonce"], 16) > int(before["nonce"], 16), "settle sent the root"
    tables = lakehouse_state(world["lakehouse"])
    for table in ("contributions", "votes", "models", "inferences", "attributions", "rewards", "balances",
                  "merkle_roots", "merkle_proofs", "settlements", "review_queue"):
        assert table in tables, table
    assert "epochs/1/tree.json" in tables

    os.environ["POA_AIRFLOW_RUNNER"] = "bin/poa"
    try:
        rerun_dag = the_dag()
        assert type(rerun_dag.get_task("merkle")).__name__ == "PoaCliOperator"
        again = rerun_dag.test(logical_date=EPOCH_1_END, mark_success_pattern=RERUN_MARKED)
    finally:
        del os.environ["POA_AIRFLOW_RUNNER"]

    assert str(again.state) == "success", task_states(again)
    assert set(task_states(again).values()) == {"success"}
    rerun_log = "".join(capfd.readouterr())
    ran = {step for step in ("ingest", "train", "index", "attribute", "rewards", "merkle", "settle", "audit")
           if f"step {step} of epoch 1 done in" in rerun_log}
    assert ran == {"ingest", "settle", "audit"}, rerun_log[-3000:]
    assert "already on chain" in rerun_log, rerun_log[-3000:]
    assert chain_state(world["rpc"]) == after, "the re-run sent a transaction"
    assert lakehouse_state(world["lakehouse"]) == tables, "the re-run changed the lakehouse"
    assert on_chain_root(world["rpc"], world["distributor"], 1) == root


def test_an_epoch_that_has_not_ended_fails_at_once_and_names_itself(airflow_db, world, caplog):
    dag = the_dag()
    caplog.set_level(logging.ERROR)

    run = dag.test(logical_date=datetime(2026, 1, 3, tzinfo=UTC), run_conf={"epoch": 1_000_000})

    states = task_states(run)
    assert str(run.state) == "failed", states
    assert states["epoch"] == "failed"
    assert all(state in ("upstream_failed", "None") for task, state in states.items() if task != "epoch"), states
    assert "epoch 1000000 ends at" in caplog.text

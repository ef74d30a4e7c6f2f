"""poa_epoch_settlement: one Airflow run per reward epoch of the poa lakehouse.

Each run's data interval is exactly one epoch window [genesis + (N-1)*length, genesis + N*length)
of DESIGN.md, so the epoch is derived from the interval (its end is the epoch's end). The run waits
for the epoch's batch in the landing folder, then runs the steps of the project's epoch pipeline, one
task each and in the pipeline's order: ingest, train (the classifier models whose training data
changed), index, attribute, rewards, merkle, settle (the root on chain once) and audit. Beside them,
after train: review (the validators' review queue, `poa review`). Every task is
`poa epoch --epoch N --from STEP --to STEP` of the project's shaded jar, so a task does exactly what
the pipeline's step does, and each is safe to re-run: the jar reads before it writes, and settle
reads the chain first. A test checks these tasks against `poa epoch --list`.

Installation, connections and variables: airflow/README.md.
"""
from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import (
    DAG,
    BaseHook,
    DeltaDataIntervalTimetable,
    Param,
    PokeReturnValue,
    Variable,
    chain,
    get_current_context,
    task,
)

log = logging.getLogger(__name__)

DAG_ID = "poa_epoch_settlement"
INPUT_KINDS = ("datanets", "contributions", "votes", "models", "inferences")
MAIN_CLASS = "org.poa.jobs.cli.PoaMain"
JAR_NAME = "poa-jobs-0.1.0-SNAPSHOT-app.jar"
DONE_MARKER = "_SUCCESS"


# ---- the epoch calendar (same rules and environment variables as the poa command line) ----

_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE)


def parse_length(text: str) -> timedelta:
    """An epoch length such as 1d, 6h, 30m, 45s or ISO-8601 PT1H / P1D (as `poa --epoch-length`)."""
    t = text.strip()
    iso = _ISO_DURATION.match(t)
    if iso and t.upper() not in ("P", "PT"):
        days, hours, minutes, seconds = iso.groups()
        length = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                           seconds=float(seconds or 0))
    else:
        units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
        if len(t) < 2 or t[-1] not in units or not t[:-1].isdigit():
            raise ValueError(f"epoch length {text!r} is not like 1d, 6h, 30m or PT1H")
        length = timedelta(**{units[t[-1]]: int(t[:-1])})
    if length <= timedelta(0):
        raise ValueError(f"epoch length {text!r} must be positive")
    return length


def parse_genesis(text: str) -> datetime:
    """The start of epoch 1, an ISO-8601 UTC time such as 2026-01-01T00:00:00Z."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"genesis {text!r} is not an ISO-8601 UTC time like 2026-01-01T00:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError(f"genesis {text!r} has no time zone; write it in UTC, e.g. 2026-01-01T00:00:00Z")
    return moment.astimezone(timezone.utc)


GENESIS_TEXT = os.environ.get("POA_GENESIS", "2026-01-01T00:00:00Z")
LENGTH_TEXT = os.environ.get("POA_EPOCH_LENGTH", "1d")
GENESIS = parse_genesis(GENESIS_TEXT)
EPOCH_LENGTH = parse_length(LENGTH_TEXT)
# The first epoch the scheduler creates a run for (catchup fills every epoch from there on).
FIRST_EPOCH = int(os.environ.get("POA_FIRST_EPOCH", "1"))


def epoch_window(epoch: int) -> tuple[datetime, datetime]:
    """[start, end) of an epoch: epoch N covers [genesis + (N-1)*length, genesis + N*length)."""
    if epoch < 1:
        raise ValueError(f"epoch {epoch} does not exist: epochs start at 1")
    return GENESIS + (epoch - 1) * EPOCH_LENGTH, GENESIS + epoch * EPOCH_LENGTH


def epoch_ending_by(moment: datetime) -> int:
    """The last epoch that has ended at `moment`: the epoch of a run whose data interval ends there."""
    utc = moment.astimezone(timezone.utc)
    # Plain datetime arithmetic: Airflow hands in pendulum times, whose durations do not floor-divide.
    plain = datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, tzinfo=timezone.utc)
    return (plain - GENESIS) // EPOCH_LENGTH


# ---- where things are: Airflow variables and connections read when a task runs ----

def _default_home() -> str:
    """A checkout holding this file (airflow/dags/ inside it), else /opt/poa-lakehouse."""
    checkout = Path(__file__).resolve().parents[2]
    return str(checkout) if (checkout / "bin" / "poa").exists() else "/opt/poa-lakehouse"


POA_HOME = os.environ.get("POA_HOME", _default_home())
RUNNER = os.environ.get("POA_AIRFLOW_RUNNER", "spark-submit")
if RUNNER not in ("spark-submit", "bin/poa"):
    raise ValueError(f"POA_AIRFLOW_RUNNER={RUNNER!r}: expected spark-submit or bin/poa")
SPARK_CONN_ID = os.environ.get("POA_SPARK_CONN_ID", "poa_spark")
CHAIN_CONN_ID = "poa_chain"
TREASURY_CONN_ID = "poa_treasury"
INPUT_WAIT = timedelta(hours=float(os.environ.get("POA_INPUT_WAIT_HOURS", "12")))


def _var(name: str, default: str) -> str:
    """A Jinja reference to an Airflow variable, rendered when the task runs (not at parse time)."""
    return "{{ var.value.get('%s', '%s') }}" % (name, default)


LAKEHOUSE = _var("poa_lakehouse", f"{POA_HOME}/lakehouse")
LANDING_DEFAULT = f"{POA_HOME}/landing"
JAR = _var("poa_jar", f"{POA_HOME}/jobs/target/{JAR_NAME}")
EPOCH = "{{ ti.xcom_pull(task_ids='epoch') }}"
LANDING_EPOCH = _var("poa_landing", LANDING_DEFAULT) + "/epoch=" + EPOCH
# The same calendar for every step as for this DAG's timetable.
CALENDAR_ARGS = ["--lakehouse", LAKEHOUSE, "--genesis", GENESIS_TEXT, "--epoch-length", LENGTH_TEXT]
ENV = {
    "POA_TREASURY": _var("poa_treasury", ""),
    "POA_DRIVER_MEMORY": _var("poa_driver_memory", "2g"),
    # Extra JVM options of each step's driver (GC or JIT flags, say): spark.driver.extraJavaOptions
    # under spark-submit, POA_JAVA_OPTS under bin/poa.
    "POA_JAVA_OPTS": _var("poa_driver_java_options", ""),
}
# The project's log settings (Spark's own INFO chatter off, the job's progress on); a file on the worker.
LOG_CONF = _var("poa_log_conf", f"{POA_HOME}/conf/log4j2.properties")


def _connection(conn_id: str):
    try:
        return BaseHook.get_connection(conn_id)
    except Exception:  # the connection is optional: not defined means not used
        return None


# Masters whose driver environment the Spark provider turns into --conf values
# (spark.yarn.appMasterEnv.* / spark.kubernetes.driverEnv.*): visible in the process list, the
# driver UI's Environment tab and the event logs. No raw key may go there.
CLUSTER_MASTERS = ("yarn", "k8s")


def master_kind(master: str) -> str:
    """local, standalone, yarn or k8s, by the substring rules SparkSubmitHook itself applies."""
    m = (master or "").strip().lower()
    if "yarn" in m:
        return "yarn"
    if "k8s" in m:
        return "k8s"
    if m.startswith("spark://"):
        return "standalone"
    if m.startswith("local"):
        return "local"
    raise ValueError(f"Spark master {master!r} of connection {SPARK_CONN_ID!r}: expected local[...], spark://, yarn or k8s://")


def spark_master() -> tuple[str, str | None]:
    """The master and deploy mode the `poa_spark` connection gives, resolved as SparkSubmitHook does
    (yarn when the connection is missing: the hook's own default)."""
    conn = _connection(SPARK_CONN_ID)
    if conn is None:
        return "yarn", None
    if conn.conn_type == "spark" and conn.host and ("://" in conn.host or not conn.port):
        master = conn.host
    else:
        master = f"{conn.conn_type}://{conn.host or ''}"
    return (f"{master}:{conn.port}" if conn.port else master), conn.extra_dejson.get("deploy-mode")


def chain_master_kind() -> str:
    """The master kind for a step that uses the chain. On Kubernetes the provider passes the driver's
    environment only as spark.kubernetes.driverEnv.*, which exists only for a driver pod: in client
    mode the step would get no chain settings at all, so that is refused."""
    master, deploy_mode = spark_master()
    kind = master_kind(master)
    if kind == "k8s" and deploy_mode != "cluster":
        raise KeyShippingError(f"connection {SPARK_CONN_ID!r}: on Kubernetes the chain steps need the extra deploy-mode"
                               " cluster (in client mode the driver would get none of its POA_* settings)")
    return kind


class KeyShippingError(ValueError):
    """A configuration that would put a private key where a cluster master publishes it."""


def _signing_settings(conn, prefix: str, variable: str, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """Environment and Spark conf that let the job load one key (POA_PRIVATE_KEY or the treasury's).

    The connection's extras `keystore` and `password_file` (paths on the machine the driver runs on)
    are preferred everywhere: the job reads the key from them, and only the paths travel. On k8s the
    extra `k8s_secret` ("secret-name:key") makes the driver pod take the key from a Kubernetes secret:
    only that reference travels. A raw key (the connection's password) goes into the driver's
    environment only where that stays in the spark-submit process (local and standalone masters in
    client mode); on yarn or k8s it is refused."""
    env: dict[str, str] = {}
    conf: dict[str, str] = {}
    extra = conn.extra_dejson
    if extra.get("keystore"):
        if not extra.get("password_file"):
            raise KeyShippingError(f"connection {conn.conn_id!r} has a keystore but no password_file extra")
        env[f"{prefix}KEYSTORE"] = str(extra["keystore"])
        env[f"{prefix}KEYSTORE_PASSWORD_FILE"] = str(extra["password_file"])
    elif kind == "k8s" and extra.get("k8s_secret"):
        conf[f"spark.kubernetes.driver.secretKeyRef.{variable}"] = str(extra["k8s_secret"])
    elif conn.password:
        if kind in CLUSTER_MASTERS:
            raise KeyShippingError(
                f"connection {conn.conn_id!r} holds a raw private key, which a {kind} master would publish in the Spark conf:"
                f" give it the extras keystore and password_file (paths on the driver's machine)"
                + (", or k8s_secret (secret-name:key)" if kind == "k8s" else ""))
        env[variable] = conn.password
    return env, conf


def chain_environment(signs: bool, kind: str = "local") -> tuple[dict[str, str], dict[str, str]]:
    """POA_* chain settings from the `poa_chain` connection (extras: rpc_url, chain_id, distributor,
    confirmations, max_fee_per_gas, max_priority_fee), and for a step that signs (settle) the way to
    the settler's key (`poa_chain`) and the treasury's (`poa_treasury`), as `_signing_settings` says.
    A step that does not sign (audit) gets no key, keystore or secret at all. Read at run time so no key
    is ever rendered into a template field or a log line; whatever is missing falls back to the
    worker's environment. Returns the environment and the extra Spark conf."""
    env: dict[str, str] = {}
    conf: dict[str, str] = {}
    conn = _connection(CHAIN_CONN_ID)
    if conn is not None:
        extra = conn.extra_dejson
        for key, name in (("rpc_url", "POA_RPC_URL"), ("chain_id", "POA_CHAIN_ID"), ("distributor", "POA_DISTRIBUTOR"),
                          ("confirmations", "POA_CONFIRMATIONS"), ("max_fee_per_gas", "POA_MAX_FEE_PER_GAS"),
                          ("max_priority_fee", "POA_MAX_PRIORITY_FEE")):
            if extra.get(key) not in (None, ""):
                env[name] = str(extra[key])
        if conn.host and "POA_RPC_URL" not in env:
            env["POA_RPC_URL"] = conn.host  # the endpoint's whole URL in the host field also works
        if signs:
            more_env, more_conf = _signing_settings(conn, "POA_", "POA_PRIVATE_KEY", kind)
            env.update(more_env)
            conf.update(more_conf)
    treasury = _connection(TREASURY_CONN_ID)
    if signs and treasury is not None:
        more_env, more_conf = _signing_settings(treasury, "POA_TREASURY_", "POA_TREASURY_PRIVATE_KEY", kind)
        env.update(more_env)
        conf.update(more_conf)
    return env, conf


def _spark_path() -> str:
    """PATH with $SPARK_HOME/bin in front when spark-submit is not on it already."""
    path = os.environ.get("PATH", "")
    spark_home = os.environ.get("SPARK_HOME")
    if spark_home and shutil.which("spark-submit", path=path) is None:
        return f"{spark_home}/bin:{path}"
    return path


class PoaSparkSubmitOperator(SparkSubmitOperator):
    """One `poa` step as a spark-submit of the shaded jar (client mode: the driver runs beside the
    worker, the executors wherever the `poa_spark` connection's master puts them)."""

    def __init__(self, *, poa_args: list[str], uses_chain: bool = False, signs: bool = False, **kwargs):
        super().__init__(application=JAR, java_class=MAIN_CLASS, conn_id=SPARK_CONN_ID,
                         name=f"poa-{kwargs['task_id']}", application_args=[*poa_args, *CALENDAR_ARGS],
                         conf={"spark.driver.memory": ENV["POA_DRIVER_MEMORY"],
                               "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG_CONF} {ENV['POA_JAVA_OPTS']}"},
                         env_vars=dict(ENV),
                         verbose=False, **kwargs)
        self.uses_chain = uses_chain
        self.signs = signs

    def execute(self, context):
        env = {k: v for k, v in (self.env_vars or {}).items() if v}
        env["PATH"] = _spark_path()
        if self.uses_chain:
            chain_env, chain_conf = chain_environment(self.signs, chain_master_kind())
            env.update(chain_env)
            self.conf = {**(self.conf or {}), **chain_conf}
        self.env_vars = env
        return super().execute(context)


class PoaCliOperator(BashOperator):
    """One `poa` step as `bin/poa` of a checkout on the worker (a single-machine install)."""

    template_fields = (*BashOperator.template_fields, "poa_words")

    def __init__(self, *, poa_args: list[str], uses_chain: bool = False, signs: bool = False, **kwargs):
        words = [f"{POA_HOME}/bin/poa", *poa_args, *CALENDAR_ARGS]
        # The words are rendered first and shell-quoted after (in execute): quoting a Jinja template
        # before rendering would quote the quotes inside it. bash_command shows them unquoted meanwhile.
        super().__init__(bash_command=" ".join(words), env=dict(ENV), append_env=True, **kwargs)
        self.poa_words = words
        self.uses_chain = uses_chain
        self.signs = signs

    def execute(self, context):
        self.bash_command = " ".join(shlex.quote(str(w)) for w in self.poa_words)
        env = {k: v for k, v in (self.env or {}).items() if v}
        if self.uses_chain:
            # bin/poa on this machine: the process environment stays on it, like a local master's.
            env.update(chain_environment(self.signs, "local")[0])
        self.env = env
        return super().execute(context)


# The epoch pipeline's steps in its order (`poa epoch --list`), with what each needs beyond the epoch:
# the batch folder for ingest; the chain's settings for settle and audit; keys for settle only (the
# audit reads the chain and signs nothing). The rewards step's treasury comes from POA_TREASURY in ENV.
STEPS = (
    ("ingest", ["--input", LANDING_EPOCH, "--missing-ok"], False, False),
    ("train", [], False, False),
    ("index", [], False, False),
    ("attribute", [], False, False),
    ("rewards", [], False, False),
    ("merkle", [], False, False),
    ("settle", [], True, True),
    ("audit", [], True, False),
)


def poa_step(step: str, extra: list[str], uses_chain: bool = False, signs: bool = False):
    """One step of the pipeline as a task: `poa epoch --epoch N --from STEP --to STEP`."""
    operator = PoaSparkSubmitOperator if RUNNER == "spark-submit" else PoaCliOperator
    return operator(task_id=step, poa_args=["epoch", "--epoch", EPOCH, "--from", step, "--to", step, *extra],
                    uses_chain=uses_chain, signs=signs)


def log_failure(context) -> None:
    """Names the epoch and the step that failed, for whoever reads the scheduler's logs or alerts."""
    ti = context["ti"]
    epoch = ti.xcom_pull(task_ids="epoch") if ti.task_id != "epoch" else None
    log.error("%s: epoch %s failed at step %s (try %s of run %s): %s", DAG_ID, epoch if epoch is not None else "?",
              ti.task_id, ti.try_number, context.get("run_id"), context.get("exception"))


with DAG(
    dag_id=DAG_ID,
    description="One reward epoch of the poa lakehouse: ingest, train, index, attribute, rewards, merkle, settle, audit",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(EPOCH_LENGTH),
    start_date=epoch_window(FIRST_EPOCH)[0],
    catchup=True,
    max_active_runs=1,
    params={"epoch": Param(None, type=["null", "integer"], minimum=1,
                           description="Run this epoch instead of the one the data interval gives (re-runs).")},
    default_args={
        # Epochs settle strictly in order on chain: a step waits for the same step of the epoch before.
        "depends_on_past": True,
        "retries": 2,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "on_failure_callback": log_failure,
    },
    tags=["poa", "settlement"],
) as dag:

    @task(task_id="epoch", retries=0)
    def resolve_epoch() -> int:
        """The run's epoch: the `epoch` param when given, else the epoch ending at the data interval's end."""
        context = get_current_context()
        given = context["params"].get("epoch")
        end = context.get("data_interval_end")
        if given is None and end is None:
            raise ValueError("this run has no data interval (triggered without a logical date): "
                             "give the epoch, e.g. --conf '{\"epoch\": 42}'")
        epoch = int(given) if given is not None else epoch_ending_by(end)
        start, stop = epoch_window(epoch)
        if given is None and (context["data_interval_start"], end) != (start, stop):
            log.warning("data interval %s..%s is not an epoch window: running epoch %d (%s..%s)",
                        context["data_interval_start"], end, epoch, start, stop)
        if stop > datetime.now(timezone.utc):
            raise ValueError(f"epoch {epoch} ends at {stop.isoformat()}: it cannot be settled before it has ended")
        log.info("epoch %d covers %s .. %s", epoch, start.isoformat(), stop.isoformat())
        return epoch

    @task.sensor(task_id="wait_for_inputs", poke_interval=60, timeout=INPUT_WAIT.total_seconds(), mode="reschedule",
                 retries=0)
    def wait_for_inputs(epoch: int) -> PokeReturnValue:
        """The epoch's batch is complete when its folder holds the producer's _SUCCESS marker."""
        folder = Path(Variable.get("poa_landing", default=LANDING_DEFAULT)) / f"epoch={epoch}"
        done = (folder / DONE_MARKER).is_file()
        if done:
            present = sorted(k for k in INPUT_KINDS if (folder / k).exists())
            log.info("epoch %d inputs ready in %s: %s", epoch, folder, ", ".join(present) or "no input kinds")
        else:
            log.info("waiting for %s", folder / DONE_MARKER)
        return PokeReturnValue(is_done=done, xcom_value=str(folder) if done else None)

    epoch = resolve_epoch()
    ready = wait_for_inputs(epoch)
    # Ingest reads the whole batch in one Spark application: kinds in dependency order (models name
    # datanets, votes name contributions, inferences name models), each sub-folder the batch carries.
    steps = [poa_step(step, extra, uses_chain, signs) for step, extra, uses_chain, signs in STEPS]
    chain(epoch, ready, *steps)
    # The validators' review queue (docs/review.md): after train, whose checkpoints it scores with, and
    # beside the rest of the epoch, which never waits for it (it writes only its own table).
    review = (PoaSparkSubmitOperator if RUNNER == "spark-submit" else PoaCliOperator)(task_id="review", poa_args=["review"])
    steps[[step for step, *_ in STEPS].index("train")] >> review

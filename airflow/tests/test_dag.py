"""The DAG as the dag processor sees it: it imports, its tasks run in the order of an epoch, and its
timetable gives each run exactly one epoch window with the right epoch number."""
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from conftest import DAGS, ROOT, load_dag_module

UTC = timezone.utc
ORDER = ["epoch", "wait_for_inputs", "ingest", "train", "index", "attribute", "rewards", "merkle", "settle", "audit"]
# Beside the chain: the review queue, after train (docs/review.md).
BRANCHES = {"review": "train"}
EPOCH = "{{ ti.xcom_pull(task_ids='epoch') }}"


def pipeline_steps() -> list[str]:
    """The epoch pipeline's steps in order, as the project's own command line lists them."""
    done = subprocess.run([str(ROOT / "bin" / "poa"), "epoch", "--list"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_step_tasks_are_the_pipelines_steps_in_its_order():
    dag = load_dag_module({}).dag
    tasks, task = [], dag.get_task("wait_for_inputs")
    while task.downstream_task_ids - set(BRANCHES):
        (next_id,) = task.downstream_task_ids - set(BRANCHES)
        task = dag.get_task(next_id)
        tasks.append(task.task_id)
    assert tasks == pipeline_steps()
    for step in tasks:
        assert dag.get_task(step).application_args[:7] == ["epoch", "--epoch", EPOCH, "--from", step, "--to", step], step


def test_dagbag_has_no_import_errors_and_one_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    assert list(bag.dags) == ["poa_epoch_settlement"]
    dag = bag.dags["poa_epoch_settlement"]
    assert dag.catchup is True
    assert dag.max_active_runs == 1


def test_tasks_form_one_chain_in_epoch_order():
    dag = load_dag_module({}).dag
    assert sorted(dag.task_ids) == sorted(ORDER + list(BRANCHES))
    for before, after in zip(ORDER, ORDER[1:]):
        assert dag.get_task(after).upstream_task_ids == {before}, after
    for branch, after in BRANCHES.items():
        assert dag.get_task(branch).upstream_task_ids == {after}, branch
        assert dag.get_task(branch).downstream_task_ids == set(), "nothing of the epoch waits for " + branch
    assert dag.get_task("epoch").upstream_task_ids == set()
    assert dag.get_task("audit").downstream_task_ids == set()
    for task_id in ORDER + list(BRANCHES):
        task = dag.get_task(task_id)
        assert task.depends_on_past, task_id
        assert task.on_failure_callback, task_id
    assert dag.get_task("settle").retries == 2


def test_every_step_is_a_spark_submit_of_the_shaded_jar():
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

    dag = load_dag_module({"POA_HOME": "/srv/poa"}).dag
    for task_id in ORDER[2:]:
        task = dag.get_task(task_id)
        assert isinstance(task, SparkSubmitOperator), task_id
        assert task.application == "{{ var.value.get('poa_jar', '/srv/poa/jobs/target/poa-jobs-0.1.0-SNAPSHOT-app.jar') }}"
        assert task._java_class == "org.poa.jobs.cli.PoaMain"
        assert task._conn_id == "poa_spark"
    assert dag.get_task("settle").application_args[:7] == ["epoch", "--epoch", EPOCH, "--from", "settle", "--to", "settle"]
    review = dag.get_task("review")
    assert isinstance(review, SparkSubmitOperator) and review.application_args[0] == "review"
    assert not review.uses_chain
    assert dag.get_task("ingest").application_args[7:10] == [
        "--input", "{{ var.value.get('poa_landing', '/srv/poa/landing') }}/epoch={{ ti.xcom_pull(task_ids='epoch') }}",
        "--missing-ok"]
    assert dag.get_task("settle").uses_chain and dag.get_task("audit").uses_chain
    assert not dag.get_task("rewards").uses_chain
    assert dag.get_task("settle").signs and not dag.get_task("audit").signs, "only settle gets keys"


def test_single_machine_runner_calls_bin_poa():
    from airflow.providers.standard.operators.bash import BashOperator

    dag = load_dag_module({"POA_AIRFLOW_RUNNER": "bin/poa", "POA_HOME": "/srv/poa"}).dag
    merkle = dag.get_task("merkle")
    assert isinstance(merkle, BashOperator)
    assert merkle.poa_words[:8] == ["/srv/poa/bin/poa", "epoch", "--epoch", EPOCH, "--from", "merkle", "--to", "merkle"]
    assert merkle.poa_words[-4:] == ["--genesis", "2026-01-01T00:00:00Z", "--epoch-length", "1d"]
    assert "poa_words" in merkle.template_fields  # rendered before execute quotes them for the shell


def test_unknown_runner_is_refused():
    with pytest.raises(ValueError, match="POA_AIRFLOW_RUNNER='k8s'"):
        load_dag_module({"POA_AIRFLOW_RUNNER": "k8s"})


def _runs(dag, count):
    """The first `count` data intervals the scheduler would create, catching up from the start date."""
    from airflow.serialization.encoders import coerce_to_core_timetable
    from airflow.timetables.base import TimeRestriction

    timetable = coerce_to_core_timetable(dag.timetable)
    restriction = TimeRestriction(earliest=dag.start_date, latest=None, catchup=True)
    last, out = None, []
    for _ in range(count):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        out.append(info)
        last = info.data_interval
    return out


@pytest.mark.parametrize("env, first, windows", [
    ({}, 1, [(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)),
             (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC))]),
    # 7 h does not divide a day: windows follow genesis, not midnight.
    ({"POA_GENESIS": "2026-03-01T05:30:00Z", "POA_EPOCH_LENGTH": "7h", "POA_FIRST_EPOCH": "4"}, 4,
     [(datetime(2026, 3, 2, 2, 30, tzinfo=UTC), datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
      (datetime(2026, 3, 2, 9, 30, tzinfo=UTC), datetime(2026, 3, 2, 16, 30, tzinfo=UTC))]),
    ({"POA_EPOCH_LENGTH": "PT6H"}, 1, [(datetime(2026, 1, 1, 0, tzinfo=UTC), datetime(2026, 1, 1, 6, tzinfo=UTC)),
                                       (datetime(2026, 1, 1, 6, tzinfo=UTC), datetime(2026, 1, 1, 12, tzinfo=UTC))]),
])
def test_each_scheduled_run_is_one_epoch_window(env, first, windows):
    module = load_dag_module(env)
    runs = _runs(module.dag, len(windows))
    for i, (info, (start, end)) in enumerate(zip(runs, windows)):
        assert (info.data_interval.start, info.data_interval.end) == (start, end)
        assert info.logical_date == start
        assert info.run_after == end  # the run starts once the epoch has ended
        assert module.epoch_ending_by(info.data_interval.end) == first + i
        assert module.epoch_window(first + i) == (start, end)


def test_epoch_of_sample_dates():
    module = load_dag_module({})
    assert module.epoch_ending_by(datetime(2026, 1, 2, tzinfo=UTC)) == 1
    assert module.epoch_ending_by(datetime(2026, 3, 5, tzinfo=UTC)) == 63
    # A manual run at an arbitrary time settles the last epoch that has ended by then.
    assert module.epoch_ending_by(datetime(2026, 3, 5, 17, 45, tzinfo=UTC)) == 63
    assert module.epoch_window(63) == (datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC))
    with pytest.raises(ValueError, match="epochs start at 1"):
        module.epoch_window(0)


@pytest.mark.parametrize("text, length", [("1d", timedelta(days=1)), ("6h", timedelta(hours=6)),
                                          ("30m", timedelta(minutes=30)), ("PT1H", timedelta(hours=1)),
                                          ("P1DT12H", timedelta(days=1, hours=12)), ("45s", timedelta(seconds=45))])
def test_epoch_lengths_are_read_as_the_command_line_reads_them(text, length):
    assert load_dag_module({}).parse_length(text) == length


@pytest.mark.parametrize("text", ["", "d", "1w", "-1d", "0h", "P", "1.5h"])
def test_bad_epoch_lengths_are_refused(text):
    with pytest.raises(ValueError, match="epoch length"):
        load_dag_module({}).parse_length(text)


def test_bad_genesis_is_refused_at_parse_time():
    with pytest.raises(ValueError, match="no time zone"):
        load_dag_module({"POA_GENESIS": "2026-01-01T00:00:00"})

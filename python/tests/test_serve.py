"""What a client of `bin/poa serve` can and cannot do."""
import pytest
from pyspark.errors import PySparkException
from pyspark.sql.functions import udf

EVERY_TABLE = {"datanets", "contributions", "votes", "contribution_status", "models", "model_lineage", "inferences",
               "license_violations", "quarantine", "attributions", "attribution_spans", "rewards", "balances",
               "merkle_roots", "merkle_proofs", "settlements", "reward_epochs"}


def test_every_table_is_visible_by_its_name(spark):
    names = {row.tableName for row in spark.sql("SHOW TABLES").collect()}
    assert EVERY_TABLE <= names
    assert spark.table("rewards").count() > 0


def test_time_travel_reads_the_epoch_as_settled(spark):
    root = spark.sql("SELECT epoch, input_versions['balances'] AS balances, input_versions['rewards'] AS rewards, "
                     "total_cumulative_wei FROM merkle_roots ORDER BY epoch DESC LIMIT 1").first()
    total = spark.sql(f"SELECT sum(cumulative_wei) AS total FROM balances VERSION AS OF {root.balances} "
                      f"WHERE epoch = {root.epoch}").first().total
    assert total == root.total_cumulative_wei
    paid = spark.sql(f"SELECT sum(amount_wei) AS paid FROM rewards VERSION AS OF {root.rewards} WHERE epoch = {root.epoch}").first().paid
    assert paid == spark.sql(f"SELECT rewards_wei FROM reward_epochs WHERE epoch = {root.epoch}").first().rewards_wei


@pytest.mark.parametrize("statement", [
    "DROP TABLE rewards",
    "DELETE FROM rewards WHERE epoch = 1",
    "INSERT INTO datanets SELECT * FROM datanets",
    "CREATE TABLE stolen AS SELECT * FROM rewards",
    "SET spark.sql.caseSensitive=false",
    "SELECT reflect('java.lang.System', 'getProperty', 'user.home')",
    "SELECT * FROM text.`/etc/passwd`",
])
def test_sql_that_writes_runs_java_or_reads_outside_the_lakehouse_is_refused(spark, statement):
    with pytest.raises(PySparkException, match="poa serve is read-only"):
        spark.sql(statement).collect()


def test_user_code_writes_and_paths_are_refused_before_they_reach_spark(spark, tmp_path):
    plus_one = udf(lambda x: x + 1, "long")
    attempts = [
        lambda: spark.range(3).select(plus_one("id")).collect(),
        lambda: spark.range(3).write.format("delta").save(str(tmp_path / "written")),
        lambda: spark.read.text("/etc/passwd").collect(),
        lambda: spark.conf.set("spark.sql.caseSensitive", "false"),
        lambda: spark.range(3).mapInPandas(lambda batches: batches, "id long").collect(),
    ]
    for attempt in attempts:
        with pytest.raises(PySparkException, match="poa serve is read-only"):
            attempt()
    assert not (tmp_path / "written").exists()
    # The session still works after refusals, and its own temporary views are its business.
    spark.table("rewards").createOrReplaceTempView("my_rewards")
    assert spark.sql("SELECT count(*) AS n FROM my_rewards").first().n == spark.table("rewards").count()

package org.poa.jobs.query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What {@code poa sql} runs without {@code --write}: queries, and the commands that only describe
 * (DESCRIBE, SHOW, EXPLAIN, Delta's DESCRIBE HISTORY/DETAIL). The statement is parsed, not matched
 * as text, and refused when any node of its plan is a command outside that list or an INSERT
 * (DELETE, UPDATE, MERGE, VACUUM, DROP, CREATE, ALTER, CACHE, SET, ADD JAR, ... all are commands)
 * or EXECUTE IMMEDIATE, and when its analyzed plan calls Java methods by reflection. Files are read
 * only through the lakehouse's tables: SQL on paths ({@code parquet.`/etc`}) is switched off once the
 * tables' views are registered.
 */
public final class ReadOnlySql {

    /** Commands that only read metadata, by their plan class's simple name. */
    static final Set<String> DESCRIBING = Set.of(
            "DescribeRelation", "DescribeColumn", "DescribeNamespace", "DescribeFunction", "DescribeQueryCommand",
            "ShowTables", "ShowViews", "ShowColumns", "ShowFunctions", "ShowNamespaces", "ShowTableProperties",
            "ShowCreateTable", "ShowPartitions", "ShowTablesExtended", "ExplainCommand",
            "DescribeDeltaDetailCommand", "DescribeDeltaHistory", "DescribeDeltaHistoryCommand", "UnresolvedDeltaPathOrIdentifier");

    private ReadOnlySql() {
    }

    /** Switches SQL on file paths off for this session (a runtime setting). */
    public static void restrict(SparkSession spark) {
        spark.conf().set("spark.sql.runSQLOnFiles", "false");
    }

    /**
     * Fails in one line naming what the statement would do, unless it only reads: checked on the
     * parsed plan, before anything runs (commands run as soon as Spark sees them).
     */
    public static void require(SparkSession spark, String query) throws org.apache.spark.sql.catalyst.parser.ParseException {
        visit(spark.sessionState().sqlParser().parsePlan(query), plan -> {
            String name = plan.getClass().getSimpleName();
            if (name.contains("ExecuteImmediate")) {
                throw new IllegalArgumentException("poa sql is read-only: EXECUTE IMMEDIATE runs a statement given as text; refused");
            }
            boolean writes = plan instanceof InsertIntoStatement || (plan instanceof Command && !DESCRIBING.contains(name));
            if (writes) {
                throw new IllegalArgumentException("poa sql is read-only: this statement is a " + commandName(name)
                        + "; operators who mean to change the lakehouse pass --write");
            }
        });
    }

    /**
     * Fails when the analyzed query calls Java by reflection, however the call was spelled
     * ({@code reflect}, {@code java_method}, {@code try_reflect}, {@code IDENTIFIER('reflect')(...)}).
     * A query (not a command) is analyzed without running, so this is checked before any row is read.
     */
    public static void requireNoJava(LogicalPlan analyzed) {
        visit(analyzed, plan -> {
            for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
                if (callsJava(expression)) {
                    throw new IllegalArgumentException("poa sql is read-only: reflect/java_method calls Java code; refused");
                }
            }
        });
    }

    /** Every node of the plan, with subqueries and CTE definitions (which hang off it beside its children). */
    static void visit(LogicalPlan root, java.util.function.Consumer<LogicalPlan> check) {
        Deque<LogicalPlan> open = new ArrayDeque<>();
        open.push(root);
        while (!open.isEmpty()) {
            LogicalPlan plan = open.pop();
            check.accept(plan);
            CollectionConverters.asJava(plan.children()).forEach(open::push);
            CollectionConverters.asJava(plan.innerChildren()).forEach(child -> {
                if (child instanceof LogicalPlan inner) {
                    open.push(inner);
                }
            });
            for (Expression expression : CollectionConverters.asJava(plan.expressions())) {
                subqueries(expression, open);
            }
        }
    }

    private static void subqueries(Expression expression, Deque<LogicalPlan> open) {
        if (expression instanceof org.apache.spark.sql.catalyst.expressions.SubqueryExpression sub) {
            open.push(sub.plan());
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            subqueries(child, open);
        }
    }

    static boolean callsJava(Expression expression) {
        if (expression instanceof CallMethodViaReflection || expression.getClass().getSimpleName().equals("TryReflect")) {
            return true;
        }
        for (Expression child : CollectionConverters.asJava(expression.children())) {
            if (callsJava(child)) {
                return true;
            }
        }
        return false;
    }

    /** "DeleteFromTable" → "delete from table". */
    static String commandName(String simpleName) {
        return simpleName.replaceAll("(Command|Statement)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }
}

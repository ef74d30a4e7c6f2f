package org.poa.jobs.query;

import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The half of a read-only {@code poa serve} that Spark checks on every analyzed plan of every client
 * session (an analyzer check rule, so before a command runs or a row is read); the other half, user
 * code, is refused on the request itself ({@link ConnectRequests}):
 * <ul>
 *   <li>no command that changes anything: only queries, the describing commands of {@link ReadOnlySql}
 *       and temporary views of the client's own session (SQL's SET is a command too, and refused);</li>
 *   <li>no reflect/java_method;</li>
 *   <li>data only from the lakehouse: every file relation read lies under the lakehouse's root (its
 *       tables, time travel included); no other path, JDBC source or stream.</li>
 * </ul>
 * Delta's own reading of a table's log runs in the client's session too, and passes: it reads files
 * under the table and writes nothing. The server's own session (which registers the tables) is
 * exempt: {@link #trust(SparkSession)}.
 */
public final class ReadOnlyCheck extends AbstractFunction1<LogicalPlan, BoxedUnit> {

    /** The Spark setting naming the lakehouse root whose files clients may read (set by serve at start). */
    public static final String LAKEHOUSE_KEY = "spark.poa.serve.lakehouse";

    /** Analyzed forms of the describing commands (their parsed forms are in {@link ReadOnlySql}). */
    private static final Set<String> DESCRIBING_ANALYZED = Set.of(
            "ShowTablesCommand", "DescribeTableCommand", "DescribeColumnCommand", "ShowColumnsCommand", "DescribeDatabaseCommand",
            "ShowTablePropertiesCommand", "ShowCreateTableCommand", "ShowPartitionsCommand", "ShowFunctionsCommand",
            "ShowNamespacesCommand", "ShowCatalogsCommand", "ShowCurrentNamespaceCommand", "DescribeFunctionCommand",
            "ShowViewsCommand", "ShowTablesExtendedCommand");
    /**
     * Leaves with no data of their own, the client's own rows, or rows the server made: a LogicalRDD
     * comes from server-side code only (Delta's log reading, a checkpoint of a plan that passed this check).
     */
    private static final Set<String> HARMLESS_LEAVES = Set.of(
            "LocalRelation", "LogicalRDD", "OneRowRelation", "Range", "CTERelationRef", "ResolvedNamespace", "ResolvedIdentifier",
            "ResolvedTable", "ResolvedPersistentView", "ResolvedTempView", "ResolvedPersistentFunc", "ResolvedNonPersistentFunc",
            "ResolvedFieldName", "UnresolvedNamespace", "CurrentNamespace", "ResolvedCatalogObject");
    private static volatile SparkSession trusted;

    private final SparkSession session;

    ReadOnlyCheck(SparkSession session) {
        this.session = session;
    }

    /** The server's own session: its plans (the tables' registration) are not checked. */
    public static void trust(SparkSession session) {
        trusted = session;
    }

    @Override
    public BoxedUnit apply(LogicalPlan plan) {
        if (session == trusted) {
            return BoxedUnit.UNIT;
        }
        String root = session.sparkContext().getConf().get(LAKEHOUSE_KEY, null);
        ReadOnlySql.visit(plan, node -> check(node, root));
        return BoxedUnit.UNIT;
    }

    private void check(LogicalPlan node, String root) {
        String name = node.getClass().getSimpleName();
        if (node instanceof InsertIntoStatement || (node instanceof Command && !ReadOnlySql.DESCRIBING.contains(name)
                && !DESCRIBING_ANALYZED.contains(name) && !sessionTempView(node))) {
            throw refused("this is a " + ReadOnlySql.commandName(name) + ", and the server only reads");
        }
        for (Expression expression : CollectionConverters.asJava(node.expressions())) {
            if (ReadOnlySql.callsJava(expression)) {
                throw refused("reflect/java_method calls Java code");
            }
        }
        if (node instanceof LogicalRelation relation) {
            if (!(relation.relation() instanceof HadoopFsRelation files)) {
                throw refused("it reads " + relation.relation().getClass().getSimpleName() + ", not a table of the lakehouse");
            }
            for (Path path : CollectionConverters.asJava(files.location().rootPaths())) {
                requireUnder(root, path);
            }
        } else if (node instanceof DataSourceV2Relation relation) {
            throw refused("it reads " + relation.table().name() + ", not a table of the lakehouse");
        } else if (node instanceof LeafNode && !HARMLESS_LEAVES.contains(name)) {
            throw refused("it reads " + name + ", not a table of the lakehouse");
        }
    }

    /** A temporary view of the client's own session (createOrReplaceTempView, CREATE TEMPORARY VIEW): it changes nothing shared. */
    private static boolean sessionTempView(LogicalPlan node) {
        return node instanceof org.apache.spark.sql.execution.command.CreateViewCommand view
                && view.viewType() == org.apache.spark.sql.catalyst.analysis.LocalTempView$.MODULE$;
    }

    private void requireUnder(String root, Path path) {
        String qualified = qualify(path);
        if (root == null || !(qualified + "/").startsWith(qualify(new Path(root)) + "/")) {
            throw refused("it reads " + path + ", outside the lakehouse");
        }
    }

    /** scheme://authority/path with an empty authority for none, so file:/x and file:///x compare equal. */
    private String qualify(Path path) {
        try {
            java.net.URI uri = path.getFileSystem(session.sessionState().newHadoopConf()).makeQualified(path).toUri().normalize();
            String text = uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + uri.getPath();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (java.io.IOException e) {
            throw refused("it reads " + path + ", which cannot be resolved: " + e.getMessage());
        }
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("poa serve is read-only: refused, " + why
                + " (an operator who means to change the lakehouse runs poa sql --write)");
    }
}

package org.poa.jobs.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.connect.proto.AddArtifactsRequest;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.CommonInlineUserDefinedFunction;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Project;
import org.apache.spark.connect.proto.PythonUDF;
import org.apache.spark.connect.proto.Read;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SqlCommand;
import org.apache.spark.connect.proto.WriteOperation;
import org.junit.jupiter.api.Test;

/** The request half of a read-only serve, on requests built as a client builds them (no server). */
class ConnectRequestsTest {

    static ExecutePlanRequest query(Relation root) {
        return ExecutePlanRequest.newBuilder().setSessionId("s").setPlan(Plan.newBuilder().setRoot(root)).build();
    }

    static Relation table(String name) {
        return Relation.newBuilder().setRead(Read.newBuilder().setNamedTable(Read.NamedTable.newBuilder().setUnparsedIdentifier(name)))
                .build();
    }

    @Test
    void queriesOfTablesAndSqlPass() {
        assertNull(ConnectRequests.refusal(query(table("rewards"))));
        assertNull(ConnectRequests.refusal(ExecutePlanRequest.newBuilder().setPlan(Plan.newBuilder().setCommand(
                Command.newBuilder().setSqlCommand(SqlCommand.newBuilder().setSql("SELECT 1")))).build()));
        assertNull(ConnectRequests.refusal(ConfigRequest.newBuilder().setOperation(ConfigRequest.Operation.newBuilder()
                .setGet(ConfigRequest.Get.newBuilder().addKeys("spark.sql.session.timeZone"))).build()));
    }

    @Test
    void aFunctionAnywhereInThePlanIsRefused() {
        Expression udf = Expression.newBuilder().setCommonInlineUserDefinedFunction(CommonInlineUserDefinedFunction.newBuilder()
                .setFunctionName("plus_one").setPythonUdf(PythonUDF.newBuilder().setEvalType(100))).build();
        // Deep in the tree: a projection over a projection over a table.
        Relation inner = Relation.newBuilder().setProject(Project.newBuilder().setInput(table("rewards")).addExpressions(udf)).build();
        Relation outer = Relation.newBuilder().setProject(Project.newBuilder().setInput(inner)).build();
        String why = ConnectRequests.refusal(query(outer));
        assertEquals("CommonInlineUserDefinedFunction carries code from the client", why);
    }

    @Test
    void pathsWritesSettingsAndArtifactsAreRefused() {
        Relation path = Relation.newBuilder().setRead(Read.newBuilder().setDataSource(Read.DataSource.newBuilder()
                .setFormat("text").addPaths("/etc/passwd"))).build();
        assertTrue(ConnectRequests.refusal(query(path)).startsWith("reading files or other sources by path"));
        ExecutePlanRequest write = ExecutePlanRequest.newBuilder().setPlan(Plan.newBuilder().setCommand(Command.newBuilder()
                .setWriteOperation(WriteOperation.newBuilder().setInput(table("rewards")).setPath("/tmp/x")))).build();
        assertEquals("the command write_operation changes the lakehouse or runs code", ConnectRequests.refusal(write));
        assertEquals("settings cannot be changed (set)", ConnectRequests.refusal(ConfigRequest.newBuilder().setOperation(
                ConfigRequest.Operation.newBuilder().setSet(ConfigRequest.Set.newBuilder())).build()));
        assertTrue(ConnectRequests.refusal(AddArtifactsRequest.newBuilder().build()).startsWith("artifacts"));
    }
}

package org.poa.jobs.query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.connect.proto.AddArtifactsRequest;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.sparkproject.connect.protobuf.Descriptors;
import org.sparkproject.connect.protobuf.Message;

/**
 * What a read-only {@code poa serve} refuses of a Spark Connect request, read from the request itself
 * before the server plans it: user code of any kind (UDFs, UDTFs, typed lambdas, pandas functions,
 * Python data sources: any message that carries a function), reads of paths or formats rather than
 * tables, uploaded artifacts, changed settings, and every command but SQL (checked again on its plan by
 * {@link ReadOnlyCheck}), temporary views, checkpoints and their release.
 * <p>Checked here and not on Spark's plans because Delta's own reading of a table's log runs Scala UDFs
 * in the client's session; in a request, any function came from the client.
 */
public final class ConnectRequests {

    /** Messages that carry code or read outside the catalog, by their protobuf name. */
    static final Set<String> REFUSED_MESSAGES = Set.of(
            "spark.connect.CommonInlineUserDefinedFunction", "spark.connect.CommonInlineUserDefinedTableFunction",
            "spark.connect.CommonInlineUserDefinedDataSource", "spark.connect.PythonUDF", "spark.connect.ScalarScalaUDF",
            "spark.connect.JavaUDF", "spark.connect.PythonUDTF", "spark.connect.PythonDataSource",
            "spark.connect.TypedAggregateExpression", "spark.connect.MapPartitions", "spark.connect.GroupMap",
            "spark.connect.CoGroupMap", "spark.connect.ApplyInPandasWithState", "spark.connect.TransformWithStateInfo",
            "spark.connect.Read.DataSource");
    /** Commands that change nothing of the lakehouse (SQL is checked on its plan). */
    static final Set<Command.CommandTypeCase> ALLOWED_COMMANDS = Set.of(Command.CommandTypeCase.SQL_COMMAND,
            Command.CommandTypeCase.CREATE_DATAFRAME_VIEW, Command.CommandTypeCase.CHECKPOINT_COMMAND,
            Command.CommandTypeCase.REMOVE_CACHED_REMOTE_RELATION_COMMAND);
    static final Set<ConfigRequest.Operation.OpTypeCase> READING_CONFIG = Set.of(ConfigRequest.Operation.OpTypeCase.GET,
            ConfigRequest.Operation.OpTypeCase.GET_WITH_DEFAULT, ConfigRequest.Operation.OpTypeCase.GET_OPTION,
            ConfigRequest.Operation.OpTypeCase.GET_ALL, ConfigRequest.Operation.OpTypeCase.IS_MODIFIABLE);

    private ConnectRequests() {
    }

    /** Why the request is refused, or null when it may run. */
    public static String refusal(Object request) {
        if (request instanceof AddArtifactsRequest) {
            return "artifacts (jars, classes, Python files) cannot be uploaded";
        }
        if (request instanceof ConfigRequest config && !READING_CONFIG.contains(config.getOperation().getOpTypeCase())) {
            return "settings cannot be changed (" + config.getOperation().getOpTypeCase().name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (request instanceof ExecutePlanRequest execute && execute.getPlan().hasCommand()
                && !ALLOWED_COMMANDS.contains(execute.getPlan().getCommand().getCommandTypeCase())) {
            return "the command " + execute.getPlan().getCommand().getCommandTypeCase().name().toLowerCase(java.util.Locale.ROOT)
                    + " changes the lakehouse or runs code";
        }
        if (request instanceof Message message) {
            return carried(message);
        }
        return null;
    }

    /** The first message of the tree that carries code or reads a path, as a sentence; null when none. */
    private static String carried(Message root) {
        Deque<Message> open = new ArrayDeque<>();
        open.push(root);
        while (!open.isEmpty()) {
            Message message = open.pop();
            String name = message.getDescriptorForType().getFullName();
            if (REFUSED_MESSAGES.contains(name)) {
                return name.equals("spark.connect.Read.DataSource")
                        ? "reading files or other sources by path or format (read the lakehouse's tables by name)"
                        : name.substring("spark.connect.".length()) + " carries code from the client";
            }
            for (Map.Entry<Descriptors.FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
                if (field.getKey().getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                    continue;
                }
                if (field.getValue() instanceof List<?> list) {
                    list.forEach(item -> open.push((Message) item));
                } else {
                    open.push((Message) field.getValue());
                }
            }
        }
        return null;
    }
}

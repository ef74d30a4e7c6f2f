package org.poa.jobs.cli;

import java.util.concurrent.Callable;
import org.poa.jobs.query.LakehouseServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the lakehouse to Spark Connect clients (pyspark-client, Spark's Scala/Java client): Spark",
            "4.2's own Connect server in this process, every table registered by its name (time travel works:",
            "SELECT ... FROM rewards VERSION AS OF 3). Read-only unless --write: commands that change anything,",
            "user code (UDFs, typed lambdas) and reads outside the lakehouse are refused. Prints the sc:// URL;",
            "stops the server and Spark on Ctrl-C or SIGTERM. Tables first written after the start are seen after",
            "a restart. See docs/querying.md."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "The address to listen on. Default: ${DEFAULT-VALUE} (this machine only; the server has no authentication).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "The port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port = 15002;

    @Option(names = "--write", description = "Let clients change the lakehouse (a trusted operator's server).")
    boolean write;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
        }
        PoaCommand root = PoaCommand.root(spec);
        if (root.environment().spark() != null) {
            throw new IllegalArgumentException("serve starts its own Spark session with the read-only check: run it as bin/poa serve");
        }
        PoaContext context = root.context();
        context.configure(LakehouseServer.settings(context.root(), host, port, !write));
        context.progress().step("starting Spark Connect on " + host + ":" + port);
        LakehouseServer server = LakehouseServer.start(context.lakehouse(), host);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            context.close();
            root.environment().err().println("poa serve: stopped");
            root.environment().err().flush();
        }, "poa-serve-stop"));
        context.out().println("serving " + server.tables().size() + " tables of " + context.lakehouse().root() + " at " + server.url()
                + (server.readOnly() ? " (read-only)" : " (writes allowed)"));
        context.out().println("from Python: SparkSession.builder.remote(\"" + server.url() + "\").getOrCreate(); stop with Ctrl-C or SIGTERM");
        context.out().flush();
        // Until SIGTERM or Ctrl-C: the hook stops the server and Spark, and the JVM ends when it returns.
        // (Returning here instead would race the JVM's shutdown with the command line's exit path.)
        while (true) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

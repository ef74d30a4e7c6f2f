package org.poa.jobs.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of the project holding npm packages pinned by a committed lockfile: {@code node/}
 * (JavaScript reference implementations such as OpenZeppelin's merkle-tree, run beside ours by
 * tests and benchmarks) and {@code contracts/} (solc, OpenZeppelin's contracts, anvil). Installs
 * them with {@code npm ci} on first use.
 */
public final class NodePackages {

    private final Path folder;

    private NodePackages(Path folder) {
        this.folder = folder;
    }

    /** Finds {@code node/} under {@code -Dpoa.home} (set by bin/poa) or above the working directory. */
    public static NodePackages locate() {
        return locate("node");
    }

    /** Finds the project folder {@code name} (holding a package-lock.json) the same way. */
    public static NodePackages locate(String name) {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("poa.home");
        if (home != null) {
            candidates.add(Path.of(home));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p);
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve(name).resolve("package-lock.json"))) {
                return new NodePackages(p.resolve(name));
            }
        }
        throw new IllegalStateException("the project's " + name + "/ folder was not found (run from the project or set -Dpoa.home)");
    }

    public Path folder() {
        return folder;
    }

    /** Runs {@code npm ci} unless the packages are installed already. */
    public synchronized void install() throws IOException, InterruptedException {
        // npm writes node_modules/.package-lock.json on every install: same as the lockfile's packages = installed.
        Path installed = folder.resolve("node_modules/.package-lock.json");
        if (Files.isRegularFile(installed) && Files.getLastModifiedTime(installed).compareTo(
                Files.getLastModifiedTime(folder.resolve("package-lock.json"))) >= 0) {
            return;
        }
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 600);
    }

    /** Runs {@code node <script> args...} in the folder and returns its standard output, failing on a non-zero exit. */
    public String node(String script, List<String> args) throws IOException, InterruptedException {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        return run(command, 1800);
    }

    private String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        try {
            return Processes.output(command, folder, timeoutSeconds);
        } catch (IOException e) {
            throw new IOException("could not run " + command.get(0) + " (is Node.js installed?): " + e.getMessage(), e);
        }
    }
}

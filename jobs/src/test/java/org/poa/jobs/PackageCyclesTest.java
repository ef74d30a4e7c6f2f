package org.poa.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the project's main code depend on each other without cycles (a package that needs
 * another never is needed back), read from every module's sources: imports and fully qualified names.
 */
class PackageCyclesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> MODULES = List.of("core", "attribution", "lakehouse", "jobs");
    static final Pattern PACKAGE = Pattern.compile("^package (org\\.poa[\\w.]*);", Pattern.MULTILINE);
    static final Pattern REFERENCE = Pattern.compile("\\b(org\\.poa(?:\\.[a-z]\\w*)+)\\.[A-Z]");

    /** Package to the packages it uses. */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    Matcher declared = PACKAGE.matcher(text);
                    assertTrue(declared.find(), file + " has no package");
                    String from = declared.group(1);
                    Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
                    Matcher reference = REFERENCE.matcher(text.substring(declared.end()));
                    while (reference.find()) {
                        if (!reference.group(1).equals(from)) {
                            targets.add(reference.group(1));
                        }
                    }
                }
            }
        }
        return uses;
    }

    @Test
    void noPackageIsPartOfACycle() throws IOException {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.size() > 20, "the scan found the packages: " + uses.keySet());
        List<List<String>> cycles = stronglyConnected(uses).stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, "package cycles (each group uses itself through the others)");
    }

    @Test
    void coreAndLakehouseNeverUseTheJobs() throws IOException {
        for (Map.Entry<String, Set<String>> e : graph().entrySet()) {
            if (e.getKey().startsWith("org.poa.core")) {
                assertTrue(e.getValue().stream().allMatch(p -> p.startsWith("org.poa.core")), e.toString());
            }
            if (e.getKey().startsWith("org.poa.lakehouse") || e.getKey().startsWith("org.poa.attribution")) {
                assertTrue(e.getValue().stream().noneMatch(p -> p.startsWith("org.poa.jobs")), e.toString());
            }
        }
    }

    /** Tarjan's strongly connected components. */
    static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] counter) {
        index.put(node, counter[0]);
        low.put(node, counter[0]);
        counter[0]++;
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, out, counter);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            out.add(component);
        }
    }
}

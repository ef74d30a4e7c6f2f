package org.poa.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.core.merkle.PayoutLeaves;
import org.poa.core.merkle.PayoutTree;

/**
 * The auditors' jar as they use it: {@code java -jar poa-core.jar} with nothing else, in a folder of
 * its own, builds a tree from a payout file, takes a claim out of it and checks claims.
 */
class PoaCoreJarIT {

    static final Path JAR = Path.of("target/poa-core.jar").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        // Nothing but the jar: no classpath from the environment.
        builder.environment().remove("CLASSPATH");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), String.join(" ", args) + " timed out");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theJarAloneBuildsATreeGivesAProofAndChecksIt() throws Exception {
        assertTrue(Files.size(JAR) < 10L * 1024 * 1024, "poa-core.jar is " + Files.size(JAR) + " bytes, more than 10 MB");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("org.poa.core.cli.AuditorTools", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/apache/spark/") || e.getName().startsWith("org/apache/hadoop/")
                    || e.getName().startsWith("scala/")), "no Spark, Hadoop or Scala inside");
        }
        String a = "0x1111111111111111111111111111111111111111";
        String b = "0x2222222222222222222222222222222222222222";
        Files.writeString(dir.resolve("payouts.csv"), "account,amount\n" + a + ",5000000000000000000\n" + b + ",7\n");

        Run build = java("merkle", "build", "--input", "payouts.csv", "--out", "tree.json", "--proofs", "proofs.jsonl");
        assertEquals(0, build.code(), build.err());
        PayoutLeaves leaves = new PayoutLeaves(2);
        leaves.add(a, new BigInteger("5000000000000000000"));
        leaves.add(b, BigInteger.valueOf(7));
        String root = PayoutTree.of(leaves).rootHex();
        assertEquals(root, build.out().strip(), "the jar's root is the library's");
        assertTrue(Files.isRegularFile(dir.resolve("proofs.jsonl")));

        Run proof = java("proof", "--tree", "tree.json", "--account", a.toUpperCase().replace("0X", "0x"));
        assertEquals(0, proof.code(), proof.err());
        ObjectNode claim = (ObjectNode) new ObjectMapper().readTree(proof.out());
        assertEquals(root, claim.get("root").asText());
        assertEquals("5000000000000000000", claim.get("amount").asText());
        assertFalse(claim.has("epoch"), "a tree file has no epoch");
        Files.writeString(dir.resolve("claim.json"), proof.out());

        Run valid = java("verify-proof", "--file", "claim.json");
        assertEquals(0, valid.code(), valid.err());
        assertTrue(valid.out().startsWith("valid: "), valid.out());
        Run byOptions = java("verify-proof", "--root", root, "--account", a, "--amount", "5000000000000000000", "--proof",
                claim.get("proof").get(0).asText());
        assertEquals(0, byOptions.code(), byOptions.err());

        claim.put("amount", "5000000000000000001");
        Files.writeString(dir.resolve("claim.json"), claim.toString());
        Run invalid = java("verify-proof", "--file", "claim.json");
        assertEquals(1, invalid.code(), invalid.out() + invalid.err());
        assertTrue(invalid.out().startsWith("INVALID: "), invalid.out());

        // Failures are one line, as in poa.
        Run noTree = java("proof", "--tree", "missing.json", "--account", a);
        assertEquals(1, noTree.code());
        assertEquals("poa-core: no tree dump at missing.json", noTree.err().strip());
        Run stranger = java("proof", "--tree", "tree.json", "--account", "0x3333333333333333333333333333333333333333");
        assertEquals(1, stranger.code());
        assertEquals("poa-core: account 0x3333333333333333333333333333333333333333 has no balance in this tree", stranger.err().strip());
        Run usage = java("verify-proof", "--bogus");
        assertEquals(2, usage.code());
        assertTrue(usage.err().strip().startsWith("poa-core: Unknown option: '--bogus'"), usage.err());
    }

    /** The one-leaf tree of DESIGN.md's known answer: its root is the leaf. */
    @Test
    void theKnownAnswerOfTheDesign() throws Exception {
        Files.writeString(dir.resolve("one.jsonl"), "{\"account\":\"0x1111111111111111111111111111111111111111\",\"amount\":\"5000000000000000000\"}\n");
        Run build = java("merkle", "build", "--input", "one.jsonl", "--out", "one.json");
        assertEquals(0, build.code(), build.err());
        assertEquals("0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283", build.out().strip());
    }
}

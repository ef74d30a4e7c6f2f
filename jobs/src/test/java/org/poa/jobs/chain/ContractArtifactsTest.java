package org.poa.jobs.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poa.jobs.tools.NodePackages;

/** The committed ABI and bytecode in contracts/build are what the pinned solc makes of contracts/src. */
class ContractArtifactsTest {

    @Test
    void committedArtifactsEqualAFreshCompile(@TempDir Path fresh) throws Exception {
        NodePackages contracts = NodePackages.locate("contracts");
        String log = contracts.node("compile.js", List.of(fresh.toString()));
        assertTrue(log.contains("solc 0.8.30+commit.73712a01"), log);
        Path committed = contracts.folder().resolve("build");
        Set<String> names = new TreeSet<>();
        try (var files = Files.list(committed)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        Set<String> compiled = new TreeSet<>();
        try (var files = Files.list(fresh)) {
            files.forEach(f -> compiled.add(f.getFileName().toString()));
        }
        assertEquals(Set.of("DemoToken.abi", "DemoToken.bin", "EpochRewardsDistributor.abi", "EpochRewardsDistributor.bin"), names);
        assertEquals(names, compiled);
        for (String name : names) {
            assertEquals(Files.readString(committed.resolve(name)), Files.readString(fresh.resolve(name)),
                    "contracts/build/" + name + " is stale: run node contracts/compile.js and commit build/");
        }
    }

    @Test
    void distributorAbiIsThePublishedInterface() throws Exception {
        Path abi = NodePackages.locate("contracts").folder().resolve("build/EpochRewardsDistributor.abi");
        List<String> signatures = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(Files.readString(abi))) {
            if (!entry.path("type").asText().equals("function") && !entry.path("type").asText().equals("event")) {
                continue;
            }
            List<String> types = new ArrayList<>();
            entry.get("inputs").forEach(i -> types.add(i.get("type").asText()));
            signatures.add(entry.get("type").asText() + " " + entry.get("name").asText() + "(" + String.join(",", types) + ")");
        }
        for (String expected : List.of(
                "function submitRoot(uint64,bytes32,uint256)",
                "function revokeRoot(uint64)",
                "function claim(address,uint256,bytes32[])",
                "function latestEpoch()",
                "function epochRoot(uint64)",
                "function activeEpoch()",
                "function claimed(address)",
                "function token()",
                "function activationDelay()",
                "event RootSubmitted(uint64,bytes32,uint256,uint64)",
                "event RootRevoked(uint64,bytes32)",
                "event Claimed(address,uint64,uint256,uint256)")) {
            assertTrue(signatures.contains(expected), expected + " missing from " + signatures);
        }
    }
}

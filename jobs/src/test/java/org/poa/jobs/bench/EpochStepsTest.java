package org.poa.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poa.jobs.action.StepRows;

/** The epoch bench's bookkeeping: each step's rows, rate and memory, the table and the JSON. */
class EpochStepsTest {

    @Test
    void eachStepIsRecordedWithItsRowsRateAndMemory() throws Exception {
        List<String> progress = new ArrayList<>();
        EpochSteps steps = new EpochSteps(progress::add);
        EpochSteps.Step ingest = steps.time("ingest", () -> {
            Thread.sleep(50);
            return new StepRows(1000, "lines", 990, "rows");
        });
        steps.time("merkle", () -> new StepRows(7, "accounts", 7, "proofs"));

        assertTrue(ingest.seconds() >= 0.05, "wall time covers the work: " + ingest.seconds());
        assertEquals(1000 / ingest.seconds(), ingest.throughput(), 1e-9);
        assertTrue(ingest.peakRssMb() > 0 && ingest.heapAfterMb() >= 0, ingest.toString());
        assertEquals(ingest.seconds() + steps.steps().get(1).seconds(), steps.totalSeconds(), 1e-9);
        assertEquals(Math.max(ingest.peakRssMb(), steps.steps().get(1).peakRssMb()), steps.peakRssMb());

        List<String> table = steps.table().lines().toList();
        assertEquals(5, table.size(), steps.table());
        assertTrue(table.get(1).startsWith("ingest") && table.get(1).contains("1,000") && table.get(1).contains("990"), table.get(1));
        assertTrue(table.get(3).startsWith("total"), table.get(3));

        List<Map<String, Object>> json = steps.json();
        assertEquals("merkle", json.get(1).get("step"));
        assertEquals(7L, json.get(1).get("rows_out"));
        assertEquals(List.of("step ingest", "step merkle"), progress.stream().filter(p -> !p.contains(":")).toList());
    }

    @Test
    void aFailingStepIsNotRecorded() {
        EpochSteps steps = new EpochSteps(p -> { });
        assertThrows(IllegalStateException.class, () -> steps.time("rewards", () -> {
            throw new IllegalStateException("fees and rewards differ");
        }));
        assertTrue(steps.steps().isEmpty());
    }
}

package org.erosim.kernel.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default cost table and the override file: format, every error message, immutability. */
class CostModelTest {
    @TempDir
    Path dir;

    private static String defaultsText() throws IOException {
        try (InputStream in = CostModel.class.getResourceAsStream(CostModel.DEFAULTS_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void defaultsLoadWithEveryCostSetAndTheFieldsMatchTheIds() {
        CostModel m = CostModel.defaults();
        assertEquals(45, m.trapEntry);
        assertEquals(30, m.trapExit);
        assertEquals(m.trapEntry, m.cost(CostModel.TRAP_ENTRY));
        assertEquals(m.trapExit, m.cost(CostModel.TRAP_EXIT));
        assertEquals(m.contextSwitch, m.cost(CostModel.CONTEXT_SWITCH));
        assertEquals(m.stringCopyPer16Bytes, m.cost(CostModel.STRING_COPY_PER_16_BYTES));
        assertEquals(m.kernelKeyInvoke, m.cost(CostModel.KERNEL_KEY_INVOKE));
        Set<String> names = new HashSet<>();
        for (int id = 0; id < CostModel.COUNT; id++) {
            assertEquals(id, CostModel.id(CostModel.name(id)));
            assertTrue(names.add(CostModel.name(id)));
        }
        assertEquals(-1, CostModel.id("no_such_cost"));
    }

    @Test
    void userSupervisorCrossingIsTheMeasured75Cycles() {
        CostModel m = CostModel.defaults();
        assertEquals(75, m.trapEntry + m.trapExit);
    }

    @Test
    void everyDefaultEntryHasACommentAboveItAndTheFileListsTheIdsInOrder() throws IOException {
        List<String> lines = defaultsText().lines().toList();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('=')).strip();
            order.add(name);
            assertTrue(i > 0 && lines.get(i - 1).strip().startsWith("#"),
                CostModel.DEFAULTS_RESOURCE + ":" + (i + 1) + ": '" + name + "' has no comment giving its reasoning");
        }
        List<String> ids = new ArrayList<>();
        for (int id = 0; id < CostModel.COUNT; id++) {
            ids.add(CostModel.name(id));
        }
        assertEquals(ids, order);
    }

    @Test
    void everyCostIsDocumentedInCostModelMd() throws IOException {
        // Surefire runs in the module directory; the docs are one level up.
        String doc = Files.readString(Path.of("../docs/cost-model.md"));
        for (int id = 0; id < CostModel.COUNT; id++) {
            assertTrue(doc.contains("`" + CostModel.name(id) + "`"), CostModel.name(id) + " not in docs/cost-model.md");
        }
    }

    @Test
    void overrideReplacesOnlyTheEntriesItSets() throws Exception {
        Path f = Files.writeString(dir.resolve("fast.costs"), "# a faster trap\n\n  trap_entry = 20  \ncontext_switch=0\n");
        CostModel d = CostModel.defaults();
        CostModel m = d.withOverrides(f);
        assertEquals(20, m.trapEntry);
        assertEquals(0, m.contextSwitch);
        assertEquals(d.trapExit, m.trapExit);
        assertEquals(d.tlbRefill, m.cost(CostModel.TLB_REFILL));
        assertEquals(45, CostModel.defaults().trapEntry, "the defaults are immutable");
        assertNotEquals(d, m);
    }

    @Test
    void toStringIsACostFileThatReproducesTheModel() throws Exception {
        CostModel d = CostModel.defaults();
        assertEquals(d, CostModel.parse("copy", d.toString(), null));
        assertEquals(d.hashCode(), CostModel.parse("copy", d.toString(), null).hashCode());
    }

    private String error(String text) throws IOException {
        Path f = Files.writeString(dir.resolve("bad.costs"), text);
        CostModelException e = assertThrows(CostModelException.class, () -> CostModel.defaults().withOverrides(f));
        assertEquals(f.toString(), e.file());
        return e.getMessage().substring(f.toString().length());
    }

    @Test
    void unknownCostIsAnErrorNamingFileLineAndTheKnownNames() throws Exception {
        assertEquals(":2: unknown cost 'trap_entree' (known: trap_entry, invocation_decode, key_prepare, gate_check, "
            + "stall_enqueue, word_copy, string_copy_per_16_bytes, key_copy, resume_fabricate, resume_consume, "
            + "context_switch, address_space_switch, tlb_refill, trap_exit, wakeup_per_sleeper, post_fire, "
            + "kernel_key_invoke)", error("# typo\ntrap_entree = 3\n"));
    }

    @Test
    void duplicateCostIsAnErrorNamingBothLines() throws Exception {
        assertEquals(":4: cost 'trap_exit' is set twice (first on line 1)", error("trap_exit = 1\n\n# again\ntrap_exit = 2\n"));
    }

    @Test
    void nonNumericNegativeEmptyAndHugeValuesAreErrors() throws Exception {
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got 'ten'", error("gate_check = ten\n"));
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got '-5'", error("gate_check = -5\n"));
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got ''", error("gate_check =\n"));
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got '1.5'", error("gate_check = 1.5\n"));
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got '2147483648'",
            error("gate_check = 2147483648\n"));
        assertEquals(":1: cost 'gate_check' must be a non-negative integer (cycles), got '99999999999999999999'",
            error("gate_check = 99999999999999999999\n"));
    }

    @Test
    void lineWithoutEqualsSignIsAnError() throws Exception {
        assertEquals(":3: expected 'name = cycles', got 'trap_entry 45'", error("\n# x\ntrap_entry 45\n"));
    }

    @Test
    void aFullTableMustSetEveryCost() {
        CostModelException e = assertThrows(CostModelException.class, () -> CostModel.parse("t.costs", "trap_entry = 1\n", null));
        assertEquals("t.costs: no value for cost 'invocation_decode'", e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void stringCopyChargesPerStarted16Bytes() {
        CostModel m = CostModel.defaults();
        int u = m.stringCopyPer16Bytes;
        assertEquals(0, m.stringCopy(0));
        assertEquals(u, m.stringCopy(1));
        assertEquals(u, m.stringCopy(16));
        assertEquals(2 * u, m.stringCopy(17));
        assertEquals(4096 * u, m.stringCopy(65536));
    }
}

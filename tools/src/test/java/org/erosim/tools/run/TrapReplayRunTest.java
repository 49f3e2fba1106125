package org.erosim.tools.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.WakePolicy;
import org.erosim.tools.run.RunFixture.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trap replay (KernelMachine#replayTrap: the kernel executes a retry's INT 0x31 itself)
 * changes host time only. Every test image is run with it on and off, under both wake
 * policies and with the pool sizes that make the eviction and unload images do their part:
 * the end, exit status, console, emulated cycles, halt report, run states, fault codes and
 * the whole --stats text (but for the count of replayed traps) must agree; the consistency
 * checker runs after each run (RunFixture).
 */
class TrapReplayRunTest {
    @TempDir
    static Path dir;

    private static final Pattern REPLAYED = Pattern.compile(" \\(([0-9,]+) replayed\\)");

    static Stream<Arguments> runs() throws IOException {
        List<Arguments> a = new ArrayList<>();
        try (Stream<Path> images = Files.list(RunFixture.IMAGES)) {
            for (Path p : images.filter(f -> f.toString().endsWith(".erosys")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".erosys", "");
                if (name.startsWith("example")) {
                    continue; // the mkimage examples (objects only, or a boot image of other tests)
                }
                for (WakePolicy w : WakePolicy.values()) {
                    a.add(Arguments.of(name, w, 0, 0));
                }
            }
        }
        a.add(Arguments.of("scen-unload", WakePolicy.WAKE_ALL, 0, 4)); // a tiny process table: unloads
        a.add(Arguments.of("scen-unload", WakePolicy.WAKE_ONE, 0, 4));
        a.add(Arguments.of("qpost-evict", WakePolicy.WAKE_ALL, 60, 0)); // gates evicted: premature fires
        a.add(Arguments.of("qpost-evict-one-gate", WakePolicy.WAKE_ONE, 60, 0));
        return a.stream();
    }

    private static RunOptions options(WakePolicy policy, int nodes, int processes, boolean replay) {
        RunOptions o = new RunOptions();
        o.wakePolicy = policy;
        o.maxCycles = 20_000_000; // the spinning images end here, the same way both times
        if (nodes > 0) {
            o.nodes = nodes;
        }
        if (processes > 0) {
            o.processes = processes;
        }
        o.trapReplay = replay;
        return o;
    }

    static long replayed(Outcome o) {
        Matcher m = REPLAYED.matcher(o.stats());
        assertTrue(m.find(), "--stats names the replayed traps: " + o.stats());
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @ParameterizedTest(name = "{0} {1} nodes={2} processes={3}")
    @MethodSource("runs")
    void replayedAndInterpretedRetriesRunTheSame(String name, WakePolicy policy, int nodes, int processes)
        throws Exception {
        Path img = new RunFixture(dir).image(name);
        Outcome on = RunFixture.runChecked(img, options(policy, nodes, processes, true));
        Outcome off = RunFixture.runChecked(img, options(policy, nodes, processes, false));
        assertEquals(0, replayed(off), name + ": nothing is replayed with replay off");
        assertEquals(off.end(), on.end(), name);
        assertEquals(off.status(), on.status(), name);
        assertEquals(off.console(), on.console(), name);
        assertEquals(off.cycles(), on.cycles(), name + ": emulated cycles");
        assertEquals(off.report(), on.report(), name);
        assertArrayEquals(off.runStates(), on.runStates(), name);
        assertArrayEquals(off.faultCodes(), on.faultCodes(), name);
        assertEquals(REPLAYED.matcher(off.stats()).replaceFirst(""), REPLAYED.matcher(on.stats()).replaceFirst(""),
            name + ": --stats");
    }

    /** The comparison is not vacuous: callers stalled on a busy server retry through the replay. */
    @Test
    void callersStalledOnABusyServerRetryThroughTheReplay() throws Exception {
        Path img = new RunFixture(dir).image("scen-three");
        Outcome on = RunFixture.runChecked(img, options(WakePolicy.WAKE_ALL, 0, 0, true));
        assertTrue(replayed(on) > 0, on.stats());
    }
}

package org.erosim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Proves that every benchmark of the module runs: one in-process measurement iteration of
 * about 100 ms each, no warmup. It measures nothing and asserts no timing; the numbers come
 * from {@code erosim bench}.
 *
 * <p>In-process (0 forks) because this JVM already has the flags the benchmarks need and a
 * fork would only add JVM start-up time; the forked path is exercised by {@code erosim bench}.
 */
class EveryBenchmarkRunsTest {
    private static final String MODULE = "org\\.erosim\\.bench\\..*";

    @Test
    void everyBenchmarkProducesAResult() throws RunnerException {
        Set<String> declared = declaredBenchmarks();
        assertFalse(declared.isEmpty(), "no benchmarks in META-INF/BenchmarkList");

        Collection<RunResult> results = new Runner(tinyRun()).run();

        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark())
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, ran);
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            String name = r.getParams().getBenchmark();
            assertTrue(primary.getSampleCount() >= 1, name + " has no sample");
            assertTrue(Double.isFinite(primary.getScore()) && primary.getScore() > 0,
                name + " scored " + primary.getScore());
        }
    }

    private static Set<String> declaredBenchmarks() {
        return BenchmarkList.defaultList()
            .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(MODULE), List.of())
            .stream().map(BenchmarkListEntry::getUsername)
            .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Options tinyRun() {
        return new OptionsBuilder()
            .include(MODULE)
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    }
}

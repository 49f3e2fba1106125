package org.erosim.bench.storm;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one storm run measured (docs/storm.md, "What the numbers mean"). Counters are deltas
 * over the <em>storm phase</em>: from the triggering write (the controller's commit of it)
 * to the last sleeper served, or to the end of the run if not every sleeper was served.
 */
public final class StormResult {
    public StormConfig config;
    /** Sleepers: callers stalled in a CALL, or queued posts. */
    public int sleepers;
    public int segments;
    /** Sleepers the trigger releases (segment 0's, or every post in eviction). */
    public long expected;
    /** Sleepers served after the trigger (a CALL committed into a keeper, a post delivered). */
    public long served;
    /** Keeper-swap: sleepers served before the old keeper returned (redirected to the new keeper). */
    public long servedBeforeOldKeeperReturned;
    /** Sleepers served before the trigger (0 by construction; a non-zero count means a broken scenario). */
    public long servedBeforeTrigger;
    /** Eviction: posts delivered while their gate was closed (fired prematurely), not served by the trigger. */
    public long prematureDelivered;
    public long wakeups;
    public long retries;
    public long restalls;
    /** Retries that committed (commits after wake). */
    public long commits;
    /** Posts fired prematurely over the whole run (kernel.md §11). */
    public long prematureFires;
    /** Keeper rewakes and the sleepers they woke (storm phase). */
    public long rewakes;
    public long rewakeSleepers;
    /** Emulated cycles from the trigger to the last sleeper served (or to the end). */
    public long stormCycles;
    /** Host wall time of the storm phase. */
    public long stormNanos;
    /** Cycle of the trigger since boot. */
    public long triggerCycle;
    /** Cycles after the trigger at which the old keeper returned, or -1 if it did not during the storm. */
    public long oldKeeperReturnedAfter = -1;
    /** How the run ended: "served" (every expected sleeper), or the kernel's RunEnd text. */
    public String end;
    /** Per-sleeper latency in emulated cycles, trigger to served. */
    public Histogram latency;
    /** Cumulative wakeups, retries and served against cycles since the trigger, sampled. */
    public long[] seriesCycles;
    public long[] seriesWakeups;
    public long[] seriesRetries;
    public long[] seriesServed;
    /** Host time: building and writing the image, booting, and the setup run up to the trigger. */
    public long buildNanos;
    public long bootNanos;
    public long setupNanos;
    public long setupCycles;
    /** Kernel memory (direct buffers, emulated RAM, heap growth) over the sleepers, in bytes. */
    public long memoryBytes;
    /** Retries whose trap the kernel executed itself (trap replay; a host-side figure, not in the report). */
    public long trapsReplayed;

    /** Findings of the object and scheduler consistency checkers at the end (empty: consistent). */
    public List<String> checkerFindings;

    /** Host nanoseconds of the storm phase per wakeup (wake + retry + re-stall or commit, and the serving). */
    public double nanosPerWakeup() {
        return wakeups == 0 ? 0 : stormNanos / (double) wakeups;
    }

    /** Host nanoseconds of the storm phase per sleeper. */
    public double nanosPerSleeper() {
        return stormNanos / (double) sleepers;
    }

    public double memoryPerSleeper() {
        return memoryBytes / (double) sleepers;
    }

    public long percentile(double p) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(p);
    }

    public boolean consistent() {
        return checkerFindings.isEmpty();
    }
}

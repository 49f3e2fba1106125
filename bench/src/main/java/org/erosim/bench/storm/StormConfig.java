package org.erosim.bench.storm;

import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.post.PostDescriptor;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.QueueId;
import org.erosim.kernel.sched.WakePolicy;

/**
 * One storm run's parameters ({@code erosim storm} options) and the kernel pools sized from
 * them. A pool left at 0 is sized from the sleepers (and segments); a pool given explicitly
 * must hold the system, or {@link #validate} names the option that would fix it.
 */
public final class StormConfig {
    /** Processes besides the sleepers: the old keeper, the new keeper and the controller. */
    public static final int SYSTEM_PROCESSES = 3;
    /** Slack added to every pool sized from the sleepers. */
    public static final int SLACK = 16;
    /** Under wake-all one keeper serving S callers one at a time retries about S²/2 times. */
    public static final int WAKE_ALL_SERVED_LIMIT = 10_000;
    /** The node table's records are addressed by int offsets: at most this many nodes. */
    public static final int MAX_NODES = Integer.MAX_VALUE / NodeDescriptor.RECORD_LENGTH;
    /** Default {@link #keeperBusy} per sleeper: far longer than the new keeper needs to serve one. */
    public static final long KEEPER_BUSY_PER_SLEEPER = 20_000L;
    public static final long MIN_KEEPER_BUSY = 100_000_000L;
    /** "For ever": a SLEEP_FOR duration of 2^64 - 1 never wakes (docs/run.md, SLEEP_FOR). */
    public static final long FOREVER = -1L;

    public final StormScenario scenario;
    public int sleepers;
    /** Red segments; 0 = the scenario's default ({@link StormScenario#defaultSegments}). */
    public int segments;
    public WakePolicy policy = WakePolicy.WAKE_ONE;
    public boolean keeperRewake = true;
    /** Trap replay of retries ({@link RunOptions#trapReplay}); off: every retry interpreted. */
    public boolean trapReplay = true;
    public boolean postRecheck;
    public long seed = 1;
    /** Cycles the old keeper stays busy after the trigger (keeper-swap, post-fire); 0 = default. */
    public long keeperBusy;
    /** Pool overrides; 0 = sized from the sleepers. */
    public int nodes;
    public int processes;
    public int activities;
    public int posts;
    /** Emulated cycles the storm may last before the run is cut off. */
    public long maxCycles = 1L << 50;

    public StormConfig(StormScenario scenario, int sleepers) {
        this.scenario = scenario;
        this.sleepers = sleepers;
    }

    public StormConfig copy() {
        StormConfig c = new StormConfig(scenario, sleepers);
        c.segments = segments;
        c.policy = policy;
        c.keeperRewake = keeperRewake;
        c.trapReplay = trapReplay;
        c.postRecheck = postRecheck;
        c.seed = seed;
        c.keeperBusy = keeperBusy;
        c.nodes = nodes;
        c.processes = processes;
        c.activities = activities;
        c.posts = posts;
        c.maxCycles = maxCycles;
        return c;
    }

    /** The segments in effect. */
    public int segmentCount() {
        return segments > 0 ? segments : scenario.defaultSegments(sleepers);
    }

    /** The largest number of sleepers one segment gets (the assignment is balanced). */
    public int largestSegment() {
        int m = segmentCount();
        return (sleepers + m - 1) / m;
    }

    /** Cycles the old keeper stays busy after the trigger, {@link #FOREVER} for shared-keeper. */
    public long keeperBusyCycles() {
        if (scenario == StormScenario.SHARED_KEEPER) {
            return FOREVER; // its other segments' sleepers are bystanders for good
        }
        return keeperBusy > 0 ? keeperBusy : Math.max(MIN_KEEPER_BUSY, KEEPER_BUSY_PER_SLEEPER * sleepers);
    }

    public int processCount() {
        return sleepers + SYSTEM_PROCESSES;
    }

    /** Nodes the system needs in memory at once: every process's two, plus the gates that must fit. */
    private long nodesNeeded() {
        return 2L * processCount() + 2;
    }

    /** Gates the node cache leaves out by default in the eviction scenario: half of them. */
    public int gatesLeftOut() {
        return scenario == StormScenario.EVICTION ? (segmentCount() + 1) / 2 : 0;
    }

    /**
     * Node-table capacity: every process's two nodes (pinned while it is loaded, which is for
     * the whole run) and every red segment, plus slack; in the eviction scenario no slack and
     * room for only half the gates, so that gates are evicted while posts wait on them.
     */
    public int nodeCapacity() {
        if (nodes > 0) {
            return nodes;
        }
        long n = 2L * processCount() + segmentCount();
        n += scenario == StormScenario.EVICTION ? -gatesLeftOut() : SLACK;
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    public int processCapacity() {
        return processes > 0 ? processes : processCount() + SLACK;
    }

    public int activityCapacity() {
        return activities > 0 ? activities : processCount() + SLACK;
    }

    public int postCapacity() {
        return posts > 0 ? posts : scenario.posts ? sleepers + SLACK : SLACK;
    }

    /** Direct (off-heap) bytes the kernel tables will take, roughly. */
    public long estimatedDirectBytes() {
        return (long) nodeCapacity() * (NodeDescriptor.RECORD_LENGTH + 8)
            + (long) processCapacity() * ProcessDescriptor.RECORD_LENGTH
            + (long) activityCapacity() * ActivityDescriptor.RECORD_LENGTH
            + (long) postCapacity() * PostDescriptor.FOOTPRINT + (8L << 20);
    }

    /** The largest sleeper count the node table can address with {@code segments} segments. */
    public static int maxSleepers(int segments) {
        return (MAX_NODES - segments - SLACK) / 2 - SYSTEM_PROCESSES;
    }

    /**
     * Checks the parameters; throws {@link IllegalArgumentException} with one line naming the
     * option that would fix it.
     */
    public void validate() {
        if (sleepers < 1) {
            throw new IllegalArgumentException("--sleepers must be at least 1, got " + sleepers);
        }
        if (segments < 0) {
            throw new IllegalArgumentException("--segments must be at least 1, got " + segments);
        }
        int m = segmentCount();
        if (m > sleepers) {
            throw new IllegalArgumentException("--segments " + m + " is more than --sleepers " + sleepers
                + ": every red segment needs a sleeper");
        }
        if (sleepers > maxSleepers(m)) {
            throw new IllegalArgumentException(String.format("--sleepers %d needs %,d nodes, beyond the node table's "
                + "%,d (its records are addressed by int offsets): use --sleepers %d or fewer",
                sleepers, 2L * processCount() + m + SLACK, MAX_NODES, maxSleepers(m)));
        }
        if (keeperBusy < 0) {
            throw new IllegalArgumentException("--keeper-busy must be at least 1 cycle, got " + keeperBusy);
        }
        if (maxCycles < 1) {
            throw new IllegalArgumentException("--max-cycles must be at least 1, got " + maxCycles);
        }
        if (policy == WakePolicy.WAKE_ALL && !scenario.posts && largestSegment() > WAKE_ALL_SERVED_LIMIT) {
            throw new IllegalArgumentException(String.format("%s under --wake-policy wake-all: one keeper serving the "
                + "%,d callers of a segment one at a time retries about %,d times (a herd per reply); "
                + "use --wake-policy wake-one, or at most %,d sleepers per segment (--sleepers, --segments)",
                scenario.label, largestSegment(), (long) largestSegment() * largestSegment() / 2,
                WAKE_ALL_SERVED_LIMIT));
        }
        most("--nodes", nodes, MAX_NODES);
        most("--processes", processes, Integer.MAX_VALUE / ProcessDescriptor.RECORD_LENGTH);
        most("--activities", activities, Math.min(QueueId.INDEX_MASK, Integer.MAX_VALUE / ActivityDescriptor.RECORD_LENGTH));
        most("--posts", posts, Integer.MAX_VALUE / PostDescriptor.RECORD_LENGTH);
        pool("--processes", processes, processCount(), "the sleepers and " + SYSTEM_PROCESSES + " system processes");
        pool("--activities", activities, processCount(), "an activity per process");
        if (scenario.posts) {
            pool("--posts", posts, sleepers, "a post record per client");
        }
        pool("--nodes", nodes, nodesNeeded(), "two nodes per process (pinned while loaded) and room for a gate");
    }

    /** A pool's table is one buffer addressed by int offsets: at most {@code max} records. */
    private static void most(String option, int given, int max) {
        if (given > max) {
            throw new IllegalArgumentException(String.format("%s %d is beyond the table's %,d records (addressed by int "
                + "offsets): use %s %d or fewer", option, given, max, option, max));
        }
    }

    private void pool(String option, int given, long needed, String what) {
        if (given != 0 && given < needed) {
            throw new IllegalArgumentException(String.format("%s %d cannot hold %s for --sleepers %d: use %s %d or "
                + "more (or leave it out to size it from --sleepers)", option, given, what, sleepers, option, needed));
        }
    }

    /** The kernel's run options for this storm. */
    public RunOptions runOptions() {
        RunOptions o = new RunOptions();
        o.wakePolicy = policy;
        o.keeperRewake = keeperRewake;
        o.trapReplay = trapReplay;
        o.postRecheck = postRecheck;
        o.nodes = nodeCapacity();
        o.processes = processCapacity();
        o.activities = activityCapacity();
        o.posts = postCapacity();
        o.frames = 16; // the one shared code page
        o.pageTableFrames = 16; // one directory and one table: every process shares the space
        o.maxCycles = maxCycles;
        return o;
    }

    /** One line naming the run's variant: "wake-one, rewake on". */
    public String variant() {
        StringBuilder b = new StringBuilder(policy.label);
        b.append(keeperRewake ? ", rewake" : ", no rewake");
        if (scenario.posts) {
            b.append(postRecheck ? ", recheck" : "");
        }
        if (!trapReplay) {
            b.append(", no trap replay");
        }
        return b.toString();
    }
}

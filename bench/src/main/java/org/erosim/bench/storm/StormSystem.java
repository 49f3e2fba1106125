package org.erosim.bench.storm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.Scheduler;
import org.erosim.kernel.store.StoreFile;
import org.erosim.mmu.PhysicalMemory;

/**
 * One storm system (docs/storm.md): built through the {@link ImageBuilder} API into a store
 * file, booted on a {@link KernelMachine}, run to the trigger, then through the storm while
 * a commit probe times every sleeper served.
 *
 * <h2>The cast</h2>
 * Every process runs the one code page {@code guest/storm.bin} (bench/src/main/guest/storm.S)
 * as its whole address space: a read-only page key, so all of them share one page directory
 * and a stalled sleeper costs its two nodes, a process-table entry and an activity.
 * <pre>
 *   handle  object
 *   0       the code page
 *   1, 2    old keeper K (runs at boot: CALLs the controller, so it is busy)
 *   3, 4    new keeper K2 (runs at boot: RETURNs on void, AVAILABLE)
 *   5, 6    controller (AVAILABLE; K's CALL starts it once every sleeper has run)
 *   7 ...   M red segments, keeper slot 1 = K's start key (format: 1 initial slot, pass)
 *   then    N sleepers, root and key-registers node each (run at boot)
 * </pre>
 * Boot makes the RUNNING processes ready in OID order: K, K2, then the sleepers; K's CALL puts
 * the controller behind all of them, so every sleeper has stalled (or posted) before the
 * controller's first invocation — the trigger.
 *
 * <h2>The probe</h2>
 * A {@link Scheduler.CommitObserver}: the controller's first commit is the trigger (counters,
 * cycle and host clock are taken there, before the write's effect); a sleeper's commit after
 * a wakeup (callers) or a post's delivery (post scenarios) is a sleeper served, recorded in
 * an HdrHistogram as cycles since the trigger. Allocation-free (the histogram is presized).
 *
 * <p>Not thread safe. {@link #close} frees the machine and deletes the image file.
 */
public final class StormSystem implements AutoCloseable {
    /** Entry points in the code page (storm.S). */
    public static final int CALLER = 0x00;
    public static final int CLIENT = 0x20;
    public static final int OLD_KEEPER = 0x40;
    public static final int KEEPER = 0x60;
    public static final int CTL_SWAP = 0x80;
    public static final int CTL_OPEN = 0xC0;
    public static final int CTL_HOLD = 0xE0;
    /** The red segments' keeper slot (storm.S's ctl_swap writes slot 1). */
    public static final int KEEPER_SLOT = 1;
    /** Root slot 13's rcvKeys for a process that receives a resume key (key 3) into register 5. */
    private static final int RECEIVE_KEY3_IN_5 = 5 << 24;
    /** Setup runs in chunks of this many cycles, so that the trigger is seen soon after it happens. */
    private static final long SETUP_CHUNK = 1 << 12;
    /** The storm phase is sampled every this many cycles at first; the interval doubles as points fill. */
    private static final long FIRST_SAMPLE = 256;
    private static final int SERIES_POINTS = 1024;
    /** The old keeper's root is the first node built (handle 1, after the code page). */
    private static final long OLD_KEEPER_OID = 2;
    /** Red segment 0: handle 7, after the code page and the three system processes. */
    private static final long RED0_OID = 8;

    private final StormConfig config;
    private final Path image;
    private final StoreFile store;
    private final KernelMachine machine;
    private final Scheduler scheduler;
    private final ActivityTable activities;
    private final ProcessTable processes;
    private final long controllerOid;
    private final long oldKeeperOid;
    private final long firstSleeperOid;
    private final long lastSleeperOid;
    private final long expected;
    private final long buildNanos;
    private final long direct0;
    private final long heap0;
    private final Probe probe;

    private StormSystem(StormConfig config, Path image, StoreFile store, KernelMachine machine, long controllerOid,
        long firstSleeperOid, long expected, long buildNanos, long direct0, long heap0) {
        this.config = config;
        this.image = image;
        this.store = store;
        this.machine = machine;
        this.scheduler = machine.scheduler();
        this.activities = scheduler.activities();
        this.processes = machine.processes();
        this.controllerOid = controllerOid;
        this.oldKeeperOid = OLD_KEEPER_OID;
        this.firstSleeperOid = firstSleeperOid;
        this.lastSleeperOid = firstSleeperOid + 2L * (config.sleepers - 1);
        this.expected = expected;
        this.buildNanos = buildNanos;
        this.direct0 = direct0;
        this.heap0 = heap0;
        this.probe = new Probe();
        scheduler.setCommitObserver(probe);
    }

    /** The storm code page, from the classpath (built from storm.S). */
    public static byte[] codePage() {
        try (InputStream in = StormSystem.class.getResourceAsStream("/guest/storm.bin")) {
            if (in == null) {
                throw new IllegalStateException("guest/storm.bin is not on the classpath (bench/src/main/guest/storm.S "
                    + "is built by the Maven build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read guest/storm.bin", e);
        }
    }

    /**
     * Builds the system of {@code config} (validated first: an {@link IllegalArgumentException}
     * names the option at fault), writes it to a temporary store file and assembles the
     * machine. Nothing runs yet.
     */
    public static StormSystem build(StormConfig config, StormProgress progress) {
        return build(config, progress, false);
    }

    /**
     * The herd of {@link StormBenchmark}: N callers of red segment 0 stalled on the busy old
     * keeper K, and a controller that stalls calling K too (ctl_hold), so that it is a second
     * keeper that is never available. {@link #settle} runs it to that state; {@link #swapKeeper}
     * is one storm.
     */
    public static StormSystem buildHerd(int sleepers) {
        StormConfig c = new StormConfig(StormScenario.KEEPER_SWAP, sleepers);
        return build(c, StormProgress.NONE, true);
    }

    private static StormSystem build(StormConfig config, StormProgress progress, boolean hold) {
        config.validate();
        long t0 = System.nanoTime();
        int n = config.sleepers;
        int m = config.segmentCount();
        int[] segmentOf = assignSegments(n, m, config.seed);
        long expected = config.scenario == StormScenario.EVICTION ? n : count(segmentOf, 0);

        ImageBuilder b = new ImageBuilder();
        int page = b.page(codePage());
        int oldKeeper = process(b, page, OLD_KEEPER, true);
        if (b.oid(oldKeeper) != OLD_KEEPER_OID) {
            throw new IllegalStateException("the old keeper's root is not OID " + OLD_KEEPER_OID);
        }
        int newKeeper = process(b, page, KEEPER, true);
        int controller = process(b, page,
            hold ? CTL_HOLD : config.scenario == StormScenario.EVICTION ? CTL_OPEN : CTL_SWAP, false);
        b.setNumberKey(controller, ProcessLayout.SLOT_RECEIVE, RECEIVE_KEY3_IN_5, 0, 0);
        b.setStartKey(b.keyRegistersNode(oldKeeper), 1, controller, 0);
        int[] red = new int[m];
        for (int s = 0; s < m; s++) {
            red[s] = b.node();
            if (s == 0 && b.oid(red[s]) != RED0_OID) {
                throw new IllegalStateException("red segment 0 is not OID " + RED0_OID);
            }
            b.redSegment(red[s], 1, KEEPER_SLOT, RedSegmentFormat.NONE, RedSegmentFormat.CONVENTION_PASS, 1);
            b.setStartKey(red[s], KEEPER_SLOT, oldKeeper, 0);
        }
        int controllerRegs = b.keyRegistersNode(controller);
        if (hold) {
            b.setStartKey(controllerRegs, 1, oldKeeper, 0);
        }
        b.setNodeKey(controllerRegs, 2, red[0], 0);
        if (config.scenario.swapsKeeper) {
            b.setStartKey(controllerRegs, 3, newKeeper, 0); // else register 3 stays void: the write opens the gate
        }
        b.setKernelKey(controllerRegs, 6, KeyType.SLEEP);
        long busy = config.keeperBusyCycles();
        b.setNumberKey(controllerRegs, 7, (int) busy, (int) (busy >>> 32), 0);
        progress.phase("building " + String.format("%,d", n) + " sleepers", n);
        int first = -1;
        for (int i = 0; i < n; i++) {
            int p = process(b, page, config.scenario.posts ? CLIENT : CALLER, true);
            if (first < 0) {
                first = p;
            }
            int regs = b.keyRegistersNode(p);
            b.setSegmentKey(regs, 1, red[segmentOf[i]], 1, 0);
            if (config.scenario.posts) {
                b.setStartKey(regs, 2, p, i & 0xFFFF);
            }
            if ((i & 0xFFFF) == 0) {
                progress.advance(i);
            }
        }
        progress.advance(n);
        segmentOf = null; // NOPMD: not part of the kernel's memory, measured below
        Path file;
        try {
            file = Files.createTempFile("erosim-storm-", ".img");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the storm's image file", e);
        }
        progress.phase("writing the image", 1);
        StoreFile store = null;
        KernelMachine machine = null;
        try {
            b.write(file);
            long controllerOid = b.oid(controller);
            long firstOid = b.oid(first);
            b = null; // NOPMD: the builder's tables are garbage from here on
            long heap = usedHeap();
            long direct = directBytes();
            store = StoreFile.open(file);
            RunOptions options = config.runOptions();
            machine = new KernelMachine(store, options, OutputStream.nullOutputStream());
            return new StormSystem(config, file, store, machine, controllerOid, firstOid, expected,
                System.nanoTime() - t0, direct, heap);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (machine != null) {
                machine.close();
            }
            if (store != null) {
                store.close();
            }
            deleteQuietly(file);
            throw e;
        }
    }

    /** A process running the code page at {@code eip}; RUNNING at boot if {@code runs}. */
    private static int process(ImageBuilder b, int page, int eip, boolean runs) {
        int p = b.process();
        b.setAddressSpacePage(p, page, Restriction.READ_ONLY);
        b.setEip(p, eip);
        if (runs) {
            b.setRunsAtBoot(p, true);
        }
        return p;
    }

    /** Sleeper i's segment: a balanced assignment (segment s gets every M-th), shuffled by the seed. */
    static int[] assignSegments(int n, int m, long seed) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i % m;
        }
        if (m > 1) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
        }
        return s;
    }

    private static long count(int[] a, int v) {
        long c = 0;
        for (int x : a) {
            if (x == v) {
                c++;
            }
        }
        return c;
    }

    public KernelMachine machine() {
        return machine;
    }

    public StormConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ the herd (StormBenchmark)

    private boolean atOldKeeper = true;
    private int keeperSlot = -1;

    /** Herd: boots and runs until nothing can run (every caller and the controller stalled). */
    public void settle() {
        machine.boot(store);
        RunEnd end = machine.run(Long.MAX_VALUE);
        if (end != RunEnd.HALTED || scheduler.enqueues() < config.sleepers + 1L) {
            throw new IllegalStateException("the herd did not settle: " + end.text + ", " + scheduler.enqueues()
                + " stalls");
        }
        keeperSlot = KeyLocation.nodeSlot(machine.cache().faultNode(RED0_OID), KEEPER_SLOT);
        machine.cache().nodes().pin(machine.cache().faultNode(RED0_OID));
    }

    /**
     * Herd: one storm. Writes the other busy keeper's start key (old keeper K or the stalled
     * controller) into red segment 0's keeper slot through the kernel's one write path, whose
     * keeper rewake wakes the previous keeper's queue; every caller re-executes its INT 0x31,
     * is redirected to the new keeper, finds it busy and stalls on its queue. Returns the
     * sleepers woken. Allocation-free.
     */
    public long swapKeeper() {
        long before = scheduler.wakeups();
        atOldKeeper = !atOldKeeper;
        machine.cache().keys().storeObjectKey(keeperSlot, KeyType.START, atOldKeeper ? OLD_KEEPER_OID : controllerOid,
            0, 0, 0);
        machine.run(Long.MAX_VALUE);
        return scheduler.wakeups() - before;
    }

    /**
     * Boots, runs the setup until the trigger, then the storm until every expected sleeper is
     * served (or the run ends), checks consistency, and reports.
     */
    public StormResult run(StormProgress progress) {
        StormResult r = new StormResult();
        r.config = config;
        r.sleepers = config.sleepers;
        r.segments = config.segmentCount();
        r.expected = expected;
        r.buildNanos = buildNanos;
        long t = System.nanoTime();
        progress.phase("booting", 1);
        machine.boot(store);
        r.bootNanos = System.nanoTime() - t;

        t = System.nanoTime();
        progress.phase("setup: sleepers stalling", config.sleepers);
        RunEnd end = RunEnd.CYCLE_LIMIT;
        while (probe.triggerCycle < 0 && end == RunEnd.CYCLE_LIMIT) {
            end = machine.run(machine.cpu.cycles + SETUP_CHUNK);
            progress.advance(Math.min(config.sleepers, config.scenario.posts ? machine.postsQueued()
                : scheduler.enqueues()));
        }
        r.setupNanos = System.nanoTime() - t;
        r.setupCycles = machine.elapsedCycles();
        if (probe.triggerCycle < 0) {
            throw new IllegalStateException("the storm system ended (" + end.text + ") before its trigger");
        }

        progress.phase("storm: sleepers served", expected);
        long[] cycles = new long[SERIES_POINTS];
        long[] wakeups = new long[SERIES_POINTS];
        long[] retries = new long[SERIES_POINTS];
        long[] served = new long[SERIES_POINTS];
        int points = 1; // point 0: the trigger, all zero
        long interval = FIRST_SAMPLE;
        long t0 = probe.triggerCycle;
        while (!probe.done && end == RunEnd.CYCLE_LIMIT) {
            end = machine.run(Math.max(machine.cpu.cycles, t0) + interval);
            if (probe.done) {
                break;
            }
            cycles[points] = machine.cpu.cycles - t0;
            wakeups[points] = scheduler.wakeups() - probe.atTrigger.wakeups;
            retries[points] = scheduler.retries() - probe.atTrigger.retries;
            served[points] = probe.served;
            points++;
            if (points == SERIES_POINTS) {
                for (int i = 1; i < SERIES_POINTS / 2; i++) { // keep point 0 and every other one
                    cycles[i] = cycles[2 * i];
                    wakeups[i] = wakeups[2 * i];
                    retries[i] = retries[2 * i];
                    served[i] = served[2 * i];
                }
                points = SERIES_POINTS / 2;
                interval *= 2;
            }
            progress.advance(probe.served);
            if (machine.cpu.cycles - t0 >= config.maxCycles) {
                break;
            }
        }
        if (!probe.done) {
            probe.finish(); // not every sleeper was served: the storm phase ends with the run
        }
        if (points == SERIES_POINTS) {
            points--;
        }
        cycles[points] = probe.endCycle - t0;
        wakeups[points] = probe.atEnd.wakeups - probe.atTrigger.wakeups;
        retries[points] = probe.atEnd.retries - probe.atTrigger.retries;
        served[points] = probe.served;
        points++;
        r.seriesCycles = java.util.Arrays.copyOf(cycles, points);
        r.seriesWakeups = java.util.Arrays.copyOf(wakeups, points);
        r.seriesRetries = java.util.Arrays.copyOf(retries, points);
        r.seriesServed = java.util.Arrays.copyOf(served, points);

        r.end = probe.done ? "served" : end == RunEnd.CYCLE_LIMIT ? "cycle limit" : end.text;
        r.served = probe.served;
        r.servedBeforeTrigger = probe.servedBeforeTrigger;
        r.prematureDelivered = probe.premature;
        r.servedBeforeOldKeeperReturned = probe.servedBeforeReturn;
        r.triggerCycle = t0 - (machine.cpu.cycles - machine.elapsedCycles());
        r.stormCycles = probe.endCycle - t0;
        r.stormNanos = probe.endNanos - probe.triggerNanos;
        r.oldKeeperReturnedAfter = probe.returnCycle < 0 ? -1 : probe.returnCycle - t0;
        Counters from = probe.atTrigger;
        Counters to = probe.atEnd;
        r.wakeups = to.wakeups - from.wakeups;
        r.retries = to.retries - from.retries;
        r.restalls = to.restalls - from.restalls;
        r.commits = to.commits - from.commits;
        r.rewakes = to.rewakes - from.rewakes;
        r.rewakeSleepers = to.rewoken - from.rewoken;
        r.prematureFires = machine.postsFiredPrematurely();
        r.latency = probe.latency;

        progress.phase("checking consistency", 1);
        RunOptions options = config.runOptions();
        long ram = (1L + options.frames + options.pageTableFrames) * PhysicalMemory.PAGE_SIZE;
        r.memoryBytes = Math.max(0, directBytes() - direct0) + ram + Math.max(0, usedHeap() - heap0);
        r.trapsReplayed = machine.trapsReplayed();
        List<String> findings = machine.consistencyFindings();
        r.checkerFindings = findings.size() > 20 ? new ArrayList<>(findings.subList(0, 20)) : findings;
        progress.finish();
        return r;
    }

    /** Bytes of direct buffers in use (the kernel tables are Agrona buffers over them). */
    static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    /**
     * Heap in use after a full collection; also lets the cleaners of unreachable direct
     * buffers (an earlier run's kernel tables) run, waiting until the direct total stops
     * falling, so that {@link #directBytes} counts this run's tables only.
     */
    static long usedHeap() {
        long direct = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            long now = directBytes();
            if (now >= direct) {
                break;
            }
            direct = now;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
        machine.close();
        store.close();
        deleteQuietly(image);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a file left in the temp directory is harmless
        }
    }

    /** A snapshot of the counters a storm reports as differences (trigger to end). */
    private final class Counters {
        long wakeups;
        long retries;
        long restalls;
        long commits;
        long rewakes;
        long rewoken;

        void take() {
            wakeups = scheduler.wakeups();
            retries = scheduler.retries();
            restalls = scheduler.restalls();
            commits = scheduler.commitsAfterWake();
            rewakes = machine.keeperRewake().rewakes();
            rewoken = machine.keeperRewake().sleepersWoken();
        }
    }

    /**
     * The commit probe (see the class comment). Invariant: {@code served} counts distinct
     * sleepers — a caller's only commit after a wakeup is its CALL into a keeper, a post's
     * only commit is its delivery.
     */
    private final class Probe implements Scheduler.CommitObserver {
        final Histogram latency = new Histogram(1, Long.MAX_VALUE / 4, 3);
        final int returnCommit = config.scenario == StormScenario.EVICTION ? 1 : 4;
        int controllerCommits;
        long triggerCycle = -1;
        long triggerNanos;
        long returnCycle = -1;
        long served;
        long servedBeforeTrigger;
        long servedBeforeReturn;
        /** Eviction: posts delivered while their gate was still closed. */
        long premature;
        boolean done;
        long endCycle;
        long endNanos;
        /** The scheduler's and the rewake's counters at the trigger and at the end of the storm phase. */
        final Counters atTrigger = new Counters();
        final Counters atEnd = new Counters();

        @Override
        public void committed(int a, boolean afterWake) {
            if (activities.kind(a) == ActivityDescriptor.KIND_POST) {
                if (!config.scenario.posts) {
                    return;
                }
                if (config.scenario == StormScenario.EVICTION && !oldKeeperAvailable()) {
                    // Every gate is kept by K: a post delivered while K is busy fired
                    // prematurely (its gate left memory closed), before or after the trigger.
                    premature++;
                    finishIfAllServed();
                    return;
                }
                if (triggerCycle < 0) {
                    servedBeforeTrigger++;
                    return;
                }
                served();
                return;
            }
            long oid = processes.rootOid(activities.subject(a));
            if (oid == controllerOid) {
                controllerCommits++;
                if (controllerCommits == 1) {
                    trigger();
                }
                if (controllerCommits == returnCommit) {
                    returnCycle = machine.cpu.cycles;
                }
                return;
            }
            if (afterWake && !config.scenario.posts && triggerCycle >= 0 && oid >= firstSleeperOid
                && oid <= lastSleeperOid) {
                served();
            }
        }

        private void trigger() {
            triggerCycle = machine.cpu.cycles;
            atTrigger.take();
            triggerNanos = System.nanoTime(); // last: the storm's host time starts here
        }

        private void served() {
            long now = machine.cpu.cycles;
            latency.recordValue(Math.max(1, now - triggerCycle));
            served++;
            if (returnCycle < 0) {
                servedBeforeReturn++;
            }
            endCycle = now;
            finishIfAllServed();
        }

        private void finishIfAllServed() {
            if (!done && served + servedBeforeTrigger + premature == expected) {
                finish();
            }
        }

        private boolean oldKeeperAvailable() {
            int e = processes.find(oldKeeperOid);
            return e >= 0 && processes.runState(e) == ProcessLayout.AVAILABLE;
        }

        /** The storm phase ends: every expected sleeper is served, or the run ended. */
        void finish() {
            endNanos = System.nanoTime();
            done = served + servedBeforeTrigger + premature == expected;
            if (!done) {
                endCycle = machine.cpu.cycles; // the storm phase lasted until the run ended
            }
            atEnd.take();
        }
    }
}

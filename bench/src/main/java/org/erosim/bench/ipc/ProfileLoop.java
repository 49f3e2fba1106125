package org.erosim.bench.ipc;

import java.io.PrintStream;
import java.util.Locale;
import org.erosim.bench.storm.StormSystem;
import org.erosim.kernel.run.KernelPathDriver;
import org.erosim.kernel.run.RunEnd;

/**
 * A plain loop over one benchmark operation, for profilers and for comparing two builds
 * side by side (docs/performance.md §5, §8.1): JMH is the measurement of record, but a
 * profiler attached to a loop sees only the operation, and alternating two jars loop by
 * loop separates a change from the host's noise. Not a test and not a benchmark: it prints
 * the host time per operation of each round and asserts nothing.
 *
 * <pre>
 * java -Dagrona.disable.bounds.checks=true --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -cp tools/target/erosim.jar org.erosim.bench.ipc.ProfileLoop MODE [N] [ROUNDS] [SECONDS]
 * </pre>
 *
 * MODE: {@code kernel} (IpcRoundTripBenchmark.roundTripKernel's round trip), {@code guest}
 * (roundTripGuest's), {@code post} (PostFireBenchmark: N posts queued, then released by
 * one slot write; only the release is timed), {@code fire} (the same with the slot write
 * untimed too: the posts' dispatch and fire alone), {@code rewake} (KeeperRewakeBenchmark: N =
 * 100000 selects its 100k herd, anything else the 1k one) or {@code storm} (StormBenchmark's keeper swap over N sleepers; the JVM
 * needs the store file's options, docs/store-format.md). Defaults: N 1000, 5 rounds of
 * 3 s. Exit status 2 for bad arguments.
 */
public final class ProfileLoop {
    private ProfileLoop() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: ProfileLoop kernel|guest|post|fire|rewake|storm [N] [ROUNDS] [SECONDS]");
            System.exit(2);
        }
        int n;
        int rounds;
        long nanos;
        try {
            n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
            nanos = (args.length > 3 ? Long.parseLong(args[3]) : 3) * 1_000_000_000L;
        } catch (NumberFormatException e) {
            System.err.println("ProfileLoop: N, ROUNDS and SECONDS are integers: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (n < 1 || rounds < 1 || nanos < 1) {
            System.err.println("ProfileLoop: N, ROUNDS and SECONDS must be at least 1");
            System.exit(2);
        }
        Loop loop;
        switch (args[0]) {
            case "kernel":
                loop = roundTrips(false);
                break;
            case "guest":
                loop = roundTrips(true);
                break;
            case "post":
                loop = postFire(n, true);
                break;
            case "fire":
                loop = postFire(n, false);
                break;
            case "rewake":
                loop = rewake(n);
                break;
            case "storm":
                loop = storm(n);
                break;
            default:
                System.err.println("ProfileLoop: unknown mode '" + args[0] + "' (kernel, guest, post, fire, rewake or storm)");
                System.exit(2);
                return;
        }
        for (int r = 0; r < rounds; r++) {
            long timed = 0;
            long ops = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < nanos) {
                loop.prepare();
                long t = System.nanoTime();
                long done = loop.run();
                timed += System.nanoTime() - t;
                ops += done;
            }
            out.printf(Locale.ROOT, "%s round %d: %.1f ns/op over %,d ops%n", args[0], r + 1, timed / (double) ops, ops);
        }
    }

    /** One batch: an untimed preparation, then the timed run; returns the operations done (throws if they did not happen). */
    @FunctionalInterface
    private interface Loop {
        long run();

        default void prepare() {
        }
    }

    private static final int BATCH = 10_000;

    private static Loop roundTrips(boolean guest) {
        IpcSystem s = new IpcSystem(1, false);
        return () -> {
            if (guest) {
                long target = s.machine.gateInvocations() + 2L * BATCH;
                if (s.machine.runGateInvocations(2L * BATCH, Long.MAX_VALUE) != RunEnd.CYCLE_LIMIT
                    || s.machine.gateInvocations() != target) {
                    throw new IllegalStateException("the guests stopped: " + s.machine.report());
                }
            } else {
                for (int i = 0; i < BATCH; i++) {
                    if (s.driver.trap() != KernelPathDriver.LEFT || s.driver.trap() != KernelPathDriver.LEFT) {
                        throw new IllegalStateException("a round trip failed: " + s.machine.report());
                    }
                }
            }
            return BATCH;
        };
    }

    /**
     * The queueing of the N posts is the untimed preparation, as in PostFireBenchmark; with
     * {@code wakeTimed} false the slot write that wakes them is untimed too (the posts'
     * dispatch and fire alone).
     */
    private static Loop postFire(int n, boolean wakeTimed) {
        PostFireSystem s = new PostFireSystem(n);
        return new Loop() {
            @Override
            public void prepare() {
                s.closeGate();
                s.queue(n);
                if (!wakeTimed) {
                    s.open();
                }
            }

            @Override
            public long run() {
                int fired = wakeTimed ? s.release(n) : s.fire(n);
                if (fired != n) {
                    throw new IllegalStateException("fired " + fired + " of " + n);
                }
                return n;
            }
        };
    }

    private static Loop rewake(int n) {
        KeeperRewakeBenchmark.Herd h = n == 100_000 ? new KeeperRewakeBenchmark.Herd100k()
            : new KeeperRewakeBenchmark.Herd1k();
        h.setUp();
        return h::swapKeeper;
    }

    private static Loop storm(int n) {
        StormSystem s = StormSystem.buildHerd(n);
        s.settle();
        return () -> {
            s.swapKeeper();
            return n;
        };
    }
}

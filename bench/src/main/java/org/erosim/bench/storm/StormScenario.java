package org.erosim.bench.storm;

import java.util.Locale;

/**
 * The four wakeup storms of {@code erosim storm} (tools.md, docs/storm.md). Every scenario
 * builds the same cast — an old keeper K that is busy, a new keeper K2, a controller and N
 * sleepers spread over M kept red segments (all kept by K) — and differs in what the
 * sleepers are, what the controller's trigger does, and what counts as a sleeper served.
 */
public enum StormScenario {
    /**
     * N callers CALL red segment 0 (M = 1 by default) and stall on the busy K; the trigger
     * swaps K2's start key into the segment's keeper slot. With keeper rewake every caller
     * retries at once and is redirected to K2; without it they wait until K returns (after
     * {@code --keeper-busy} cycles). Served: a caller's CALL commits into a keeper.
     */
    KEEPER_SWAP("keeper-swap", false, true),
    /**
     * N clients each QPOST to themselves gated on red segment 0 (closed: K busy); the trigger
     * writes void into its keeper slot, so the gate opens and every post fires. Served: a
     * post is delivered.
     */
    POST_FIRE("post-fire", true, false),
    /**
     * N callers over M red segments (default about 1,000 per segment), all kept by K; the
     * trigger swaps segment 0's keeper to K2. Rewake wakes all N; only segment 0's callers are
     * served (by K2, one at a time), the others re-stall on K, which never returns. Run under
     * both wake policies unless one is named: the herd at K2 is quadratic under wake-all.
     */
    SHARED_KEEPER("shared-keeper", false, true),
    /**
     * N clients post on M gates (default N / 10) kept by K, with a node cache too small for
     * every gate: gates evicted while closed fire their posts prematurely (default) or not at
     * all ({@code --post-recheck}). The trigger is K's return, which opens every gate. Served:
     * a post delivered after the trigger; premature fires are counted apart.
     */
    EVICTION("eviction", true, false);

    /** The scenario's name on the command line. */
    public final String label;
    /** Sleepers are queued posts (clients QPOST) rather than callers stalled in a CALL. */
    public final boolean posts;
    /** The trigger swaps a new keeper in (K2 serves), rather than voiding the slot or K returning. */
    public final boolean swapsKeeper;

    StormScenario(String label, boolean posts, boolean swapsKeeper) {
        this.label = label;
        this.posts = posts;
        this.swapsKeeper = swapsKeeper;
    }

    /** The scenario named {@code name} (as on the command line), or null. */
    public static StormScenario byLabel(String name) {
        for (StormScenario s : values()) {
            if (s.label.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    /** The labels, for messages: "keeper-swap, post-fire, shared-keeper or eviction". */
    public static String labels() {
        StringBuilder b = new StringBuilder();
        StormScenario[] all = values();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].label);
        }
        return b.toString();
    }

    /** Segments when none are given: 1 for the single-gate scenarios. */
    public int defaultSegments(int sleepers) {
        switch (this) {
            case SHARED_KEEPER:
                return Math.max(2, (sleepers + 999) / 1000);
            case EVICTION:
                return Math.max(2, sleepers / 10);
            default:
                return 1;
        }
    }
}

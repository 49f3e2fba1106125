package org.erosim.bench.storm;

/**
 * Where a storm run reports how far it is (the CLI draws a bar on stderr when it is a
 * terminal). Phases come in order; {@link #advance} is called at most a few thousand times a
 * phase, never from a hot path.
 */
public interface StormProgress {
    /** Reports nothing. */
    StormProgress NONE = new StormProgress() {
        @Override
        public void phase(String name, long total) {
        }

        @Override
        public void advance(long done) {
        }

        @Override
        public void finish() {
        }
    };

    /** A new phase of {@code total} steps begins. */
    void phase(String name, long total);

    /** {@code done} of the phase's steps are done. */
    void advance(long done);

    /** The run is over: clear whatever was drawn. */
    void finish();
}

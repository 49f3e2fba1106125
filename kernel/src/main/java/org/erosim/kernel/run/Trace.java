package org.erosim.kernel.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.erosim.kernel.abi.KeyType;

/**
 * The event trace of {@code erosim run --trace FILE}: one text line per kernel event, in the
 * order they happen, stamped with the emulated cycle counter:
 *
 * <pre>
 * 1234567 0x2a invoke CALL start order=0x00000000 -> left
 * 1234890 0x2c invoke RETURN resume order=0x00000000 -> left
 * 1240001 0x2e invoke CALL start order=0x00000007 -> stalled
 * 1250000 0x2e fault DIV_ZERO info=0x00000000
 * 1250100 0x30 mark tag=0x00000011
 * </pre>
 *
 * {@code invoke}: the invocation type, the type of the key in the invoked register when the
 * trap was taken, w0, and what became of the invoker ({@code resumed}: it goes on;
 * {@code left}: it waits or became available; {@code stalled}: it sleeps on a stall queue
 * and will re-execute the trap; {@code fault}; {@code stop}). {@code fault}: a process fault
 * with its code and info. {@code mark}: SYSTRACE MARK. Lines are formatted into one reused
 * byte buffer and written through the caller's (buffered) stream: tracing allocates nothing
 * per event.
 */
final class Trace {
    static final int RESUMED = 0;
    static final int LEFT = 1;
    static final int STALLED = 2;
    static final int FAULTED = 3;
    static final int STOPPED = 4;

    private static final String[] OUTCOMES = {"resumed", "left", "stalled", "fault", "stop"};
    private static final String[] INVOCATIONS = {"RETURN", "PRETURN", "CALL", "PCALL", "SEND", "PSEND", "QPOST"};

    private final OutputStream out;
    private final byte[] line = new byte[160];
    private int length;
    private long events;

    Trace(OutputStream out) {
        this.out = out;
    }

    long events() {
        return events;
    }

    void invoke(long cycle, long oid, int invType, int keyType, int order, int outcome) {
        start(cycle, oid, "invoke ");
        text(invType >= 0 && invType < INVOCATIONS.length ? INVOCATIONS[invType] : "?");
        text(" ");
        text(KeyType.isValid(keyType) ? KeyType.name(keyType) : "?");
        text(" order=");
        hex(order);
        text(" -> ");
        text(OUTCOMES[outcome]);
        end();
    }

    void fault(long cycle, long oid, String name, int info) {
        start(cycle, oid, "fault ");
        text(name);
        text(" info=");
        hex(info);
        end();
    }

    void mark(long cycle, long oid, int tag) {
        start(cycle, oid, "mark tag=");
        hex(tag);
        end();
    }

    /** Writes what is buffered in the stream through (at the end of a run). */
    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the trace cannot be written", e);
        }
    }

    private void start(long cycle, long oid, String what) {
        length = 0;
        decimal(cycle);
        text(" 0x");
        hexShort(oid);
        text(" ");
        text(what);
    }

    private void end() {
        line[length++] = '\n';
        events++;
        try {
            out.write(line, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException("the trace cannot be written", e);
        }
    }

    private void text(String s) {
        for (int i = 0; i < s.length() && length < line.length - 1; i++) {
            line[length++] = (byte) s.charAt(i);
        }
    }

    private void decimal(long v) {
        int digits = 1;
        for (long x = v / 10; x != 0; x /= 10) {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--) {
            line[length + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    private void hex(int v) {
        text("0x");
        for (int shift = 28; shift >= 0; shift -= 4) {
            line[length++] = (byte) "0123456789abcdef".charAt((v >>> shift) & 15);
        }
    }

    private void hexShort(long v) {
        int shift = 60;
        while (shift > 0 && (v >>> shift & 15) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            line[length++] = (byte) "0123456789abcdef".charAt((int) (v >>> shift & 15));
        }
    }
}

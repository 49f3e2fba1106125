package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.erosim.cpu.RandomMachine.Mode;
import org.erosim.cpu.decode.ByteSource;
import org.erosim.cpu.decode.Decoded;
import org.erosim.cpu.decode.Decoder;

/**
 * Jazzer targets for the decoder and the executor. Without {@code JAZZER_FUZZ} (as in CI)
 * each runs the inputs stored under {@code CpuFuzzTestInputs/<method>/} as a regression
 * test; with {@code JAZZER_FUZZ=1} it fuzzes (see docs/robustness.md).
 */
class CpuFuzzTest {
    private static final long BUDGET = 1_000;

    /**
     * Any code in any mode from any start state ends normally within the budget, with the
     * CPU's derived state consistent ({@link RandomMachine#runChecked}); run again one
     * instruction at a time, it ends in the same state. The input's leading bytes are the
     * code at CS:EIP; its trailing bytes choose the mode and the start state.
     */
    @FuzzTest(maxDuration = "5m")
    void anyCodeInAnyModeEndsArchitecturally(byte[] input) {
        RandomMachine.Outcome whole;
        try (RandomMachine m = build(input)) {
            m.runChecked(BUDGET);
            whole = m.cpu.interrupts == null ? m.outcome() : null;
        }
        if (whole != null) {
            try (RandomMachine m = build(input)) {
                m.runStepped(BUDGET);
                assertEquals(whole, m.outcome(), "stepping must end in the same state as one run");
            }
        }
    }

    private static RandomMachine build(byte[] input) {
        InputChoices ch = new InputChoices(input);
        return RandomMachine.build(Mode.values()[ch.below(Mode.values().length)], ch);
    }

    /**
     * Any bytes decode without an exception, fetching bytes strictly in order and never a
     * 16th; an instruction is 1..15 bytes long, or it reports {@code ERR_TOO_LONG} or that
     * its bytes ran out. Its length depends only on its own bytes, and it builds into an
     * executable instruction. The first input byte chooses 16- or 32-bit code.
     */
    @FuzzTest(maxDuration = "5m")
    void decoderAcceptsAnyBytes(byte[] input) {
        boolean code32 = input.length > 0 && (input[0] & 1) != 0;
        byte[] bytes = input.length > 0 ? Arrays.copyOfRange(input, 1, input.length) : input;
        RecordingSource src = new RecordingSource(bytes);
        Decoded d = new Decoder().decode(src, code32, new Decoded());
        assertNotNull(d.def);
        String what = "decoding " + java.util.HexFormat.of().formatHex(bytes) + (code32 ? " (32-bit)" : " (16-bit)");
        assertTrue(src.fetched <= Decoder.MAX_LENGTH, what);
        switch (d.error) {
            case 0:
                assertTrue(d.length >= 1 && d.length <= Decoder.MAX_LENGTH, what);
                assertEquals(src.fetched, d.length, what);
                Decoded again = new Decoder().decode(new RecordingSource(Arrays.copyOf(bytes, d.length)), code32,
                    new Decoded());
                assertEquals(0, again.error, what);
                assertEquals(d.length, again.length, what);
                assertEquals(d.opcode, again.opcode, what);
                break;
            case Decoded.ERR_TOO_LONG:
                assertEquals(Decoder.MAX_LENGTH + 1, d.length, what);
                assertEquals(Decoder.MAX_LENGTH, src.fetched, what);
                break;
            case Decoded.ERR_TRUNCATED:
                assertEquals(bytes.length, src.fetched, what);
                assertTrue(bytes.length < Decoder.MAX_LENGTH, what);
                return; // the CPU never builds a cut-off instruction
            default:
                throw new AssertionError("unknown decode error " + d.error + " " + what);
        }
        int eip = code32 ? 0xFFFFFFF8 : 0xFFF8; // near the wrap-around of EIP / IP
        Insn insn = InsnFactory.build(d, eip, code32, code32 ? 0xFFFFFFFF : 0xFFFF, CycleTable.defaults());
        assertEquals(d.length, insn.length, what);
        assertEquals(code32 ? eip + d.length : (eip + d.length) & 0xFFFF, insn.next, what);
        assertTrue(insn.sz >= 0 && insn.sz <= 2 && insn.seg >= 0 && insn.seg < 6, what);
        assertTrue(insn.base >= 0 && insn.base <= Reg.ZERO && insn.index >= 0 && insn.index <= Reg.ZERO, what);
        assertTrue(insn.rm >= 0 && insn.rm < 8 && insn.reg >= -1 && insn.reg < 8, what);
    }

    /** A file-like byte source that checks the decoder fetches each byte once, in order. */
    private static final class RecordingSource implements ByteSource {
        private final byte[] bytes;
        int fetched;

        RecordingSource(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int fetch(int offset) {
            assertEquals(fetched, offset, "bytes must be fetched in order");
            if (offset >= bytes.length) {
                return END;
            }
            fetched++;
            return bytes[offset] & 0xFF;
        }
    }

    /**
     * Choices read from a fuzzer's input: numbers from its end, code bytes from its start (as
     * Jazzer's {@code FuzzedDataProvider} does, so that mutating the front changes the code).
     * A used-up input answers zero.
     */
    static final class InputChoices implements RandomMachine.Choices {
        private final byte[] data;
        private int front;
        private int back;

        InputChoices(byte[] data) {
            this.data = data;
            this.back = data.length;
        }

        /** The next {@code n} bytes from the end, little-endian. */
        private long fromBack(int n) {
            long v = 0;
            for (int i = 0; i < n && back > front; i++) {
                v |= (data[--back] & 0xFFL) << (8 * i);
            }
            return v;
        }

        @Override
        public int below(int n) {
            int bytes = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
            return (int) Long.remainderUnsigned(fromBack(bytes), n);
        }

        @Override
        public int any() {
            return (int) fromBack(4);
        }

        @Override
        public long anyLong() {
            return fromBack(8);
        }

        @Override
        public byte[] bytes(int max) {
            int n = Math.min(max, back - front);
            byte[] b = Arrays.copyOfRange(data, front, front + n);
            front += n;
            return b;
        }
    }
}

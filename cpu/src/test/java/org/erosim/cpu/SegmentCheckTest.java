package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Segment limit and type checks and descriptor inspection (guest program segments.S). */
class SegmentCheckTest extends GuestProgramTest {
    SegmentCheckTest() {
        super("segments");
    }

    // Proves limit checks on every byte, granularity, and expand-down bounds for B=1 and B=0.
    @Test
    void limitChecksIncludingExpandDown() {
        List<GuestMachine.Event> ev = run(0);
        assertEquals(9, ev.size(), m::describe);
        for (int k = 1; k <= 8; k++) {
            event(ev.get(k - 1), Vector.GP, 0, "lim_f" + k);
        }
        event(ev.get(8), Vector.SS, 0, "lim_f9");
        assertEquals(0xA5A5A5A5, m.read32(0x301000));
        assertEquals(0x5A5A5A5A, m.read32(0x2FFFFC), "offset 0xFFFFFFFC wraps below the base");
        assertEquals(0x12345678, m.read32(0x301FFC), "push on the expand-down stack");
    }

    // Proves segment type checks (execute-only, read-only, code as SS, data as target), A bit.
    @Test
    void typeChecks() {
        List<GuestMachine.Event> ev = run(1);
        int[] err = {0x60, 0, 0, 0, 0x70, 0x10, 0};
        assertEquals(err.length, ev.size(), m::describe);
        for (int k = 0; k < err.length; k++) {
            event(ev.get(k), Vector.GP, err[k], "ty_f" + (k + 1));
        }
        assertEquals(0x60, ev.get(1).cs(), "fault inside the execute-only segment");
        assertEquals(m.read32(m.origin()), m.result(0), "read through readable code in ES");
        assertEquals(0x100, m.read32(m.sym("gdt") + 0x70 + 4) & 0x100, "accessed bit");
    }

    // Proves LAR, LSL, VERR, VERW and ARPL values and ZF at CPL 0 and CPL 3.
    @Test
    void larLslVerrVerwArpl() {
        assertEquals(1, run(2).size(), m::describe);
        int[] expect = {
            0x00CF9B00, 1, 0x00008B00, 1, 0xDEADBEEF, 0, 0, 0, 0x0000EC00, 1,
            0xDEAD9B00, 0, 0xFFFFFFFF, 1, 0xFFF, 0x1FFF, 0x2068, 0x37, 1, 0,
            1, 0, 1, 0, 1, 0, 0, 0, 0x000B, 1,
            0, 1, 0, 0x00CFF300, 1, 1, 1, 1, 0, 1,
            0};
        for (int k = 0; k < expect.length; k++) {
            // 32-bit LAR: bits 19:16 (limit 19:16 in the descriptor) are undefined
            int mask = k == 0 || k == 2 || k == 8 || k == 33 ? 0xFFF0FFFF : -1;
            assertEquals(expect[k] & mask, m.result(k) & mask, "result " + k);
        }
        assertEquals(0x13, m.read16(m.sym("arpl_mem")));
    }

    // Proves a ring-3 push below an expand-down stack limit gives #SS(0) on the ring-0 stack.
    @Test
    void ring3StackFaultOnExpandDownStack() {
        List<GuestMachine.Event> ev = run(3);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.SS, 0, "st3_f");
        assertEquals(0x9B, ev.get(0).ss());
        assertEquals(0x1000, ev.get(0).esp());
        assertEquals(0x1000, ev.get(1).eax());
        assertEquals(0x9B, ev.get(1).ebx());
        assertEquals(1, m.read32(0x301004));
        assertEquals(2, m.read32(0x301000));
    }
    // Proves the CS limit: a jump beyond it faults at the jump, a fetch crossing it faults at the instruction.
    @Test
    void codeSegmentLimit() {
        List<GuestMachine.Event> ev = run(4);
        assertEquals(2, ev.size(), m::describe);
        int org = m.origin();
        assertEquals(Vector.GP, ev.get(0).vector());
        assertEquals(0, ev.get(0).error());
        assertEquals(m.sym("cs_f1") - org, ev.get(0).eip());
        assertEquals(0xA0, ev.get(0).cs());
        assertEquals(Vector.GP, ev.get(1).vector());
        assertEquals(0, ev.get(1).error());
        assertEquals(m.sym("cs_tail") - org, ev.get(1).eip());
        assertEquals(0xA0, ev.get(1).cs());
    }
}

package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Virtual-8086 mode under a ring-0 monitor (guest program v86.S). */
class V86Test extends GuestProgramTest {
    V86Test() {
        super("v86");
    }

    private int esp0 = 0x6F000;

    /** Asserts an event taken from V86 code at a V86 label, with the full 9-dword frame. */
    private void v86Event(GuestMachine.Event e, int vector, int error, String label) {
        String why = m.describe();
        assertEquals(vector, e.vector(), why);
        assertEquals(error, e.error(), why);
        assertEquals(m.sym(label) - m.origin(), e.eip(), why);
        assertEquals(0x1000, e.cs(), why);
        assertEquals(Flags.VM, e.eflags() & Flags.VM, why);
        assertEquals(0x9000, e.ss(), why);
        assertEquals(0x1111, e.frame()[5] & 0xFFFF, "ES in the frame");
        assertEquals(0x1000, e.frame()[6] & 0xFFFF, "DS in the frame");
        assertEquals(0x3333, e.frame()[7] & 0xFFFF, "FS in the frame");
        assertEquals(0x4444, e.frame()[8] & 0xFFFF, "GS in the frame");
        assertEquals(0, e.ds(), "DS nulled on entry to ring 0");
        assertEquals(0, e.es(), "ES nulled on entry to ring 0");
        assertEquals(esp0 - 36, e.frameAddr(), "9-dword frame at ESP0 (an error code goes below it)");
        assertEquals(0x10, e.handlerSs());
    }

    // Proves IOPL-sensitive instructions trap with IOPL 0 (INT3 does not) with the 9-dword frame.
    @Test
    void ioplSensitiveInstructionsTrapWithIopl0() {
        List<GuestMachine.Event> ev = run(0);
        String[] labels = {"va_cli", "va_sti", "va_pushf", "va_popf", "va_int", "va_int3", "va_iret", "va_hlt"};
        assertEquals(labels.length, ev.size(), m::describe);
        for (int k = 0; k < labels.length; k++) {
            GuestMachine.Event e = ev.get(k);
            v86Event(e, Vector.GP, labels[k].equals("va_int3") ? 3 * 8 + 2 : 0, labels[k]);
            assertEquals(0, e.eflags() & Flags.IOPL);
            assertEquals(0x1234, e.eax() & 0xFFFF);
        }
        assertEquals(0x1000, ev.get(0).esp());
    }

    // Proves IOPL 3 runs CLI/STI/PUSHF/POPF, INT n reaches ring 0, and IRET reloads V86 segments.
    @Test
    void ioplThreeRunsSensitiveInstructionsAndIretReturnsToV86() {
        List<GuestMachine.Event> ev = run(1);
        assertEquals(3, ev.size(), m::describe);
        v86Event(ev.get(0), 0x31, 0, "vb_after_int");
        assertEquals(0x1000, ev.get(0).esp());
        int flags = ev.get(0).eax() & 0xFFFF;
        assertEquals(Flags.IOPL | Flags.IF, flags & (Flags.IOPL | Flags.IF), "PUSHF image in V86");
        assertEquals(0x1234, ev.get(0).ebx() & 0xFFFF);
        v86Event(ev.get(1), Vector.BP, 0, "vb_after_int3");
        GuestMachine.Event h = ev.get(2);
        v86Event(h, Vector.GP, 0, "vb_hlt");
        assertEquals(0x3333, h.ecx() & 0xFFFF, "FS after IRET to V86");
        assertEquals(0x4444, h.edx() & 0xFFFF, "GS");
        assertEquals(0x1000, h.esi() & 0xFFFF, "DS");
        assertEquals(0x1111, h.edi() & 0xFFFF, "ES");
    }

    private void ioBitmap(int scenario) {
        List<GuestMachine.Event> ev = run(scenario);
        assertEquals("V", m.console(), m::describe);
        assertEquals(3, ev.size(), m::describe);
        v86Event(ev.get(0), Vector.GP, 0, "vc_out80");
        v86Event(ev.get(1), Vector.GP, 0, "vc_outw");
        v86Event(ev.get(2), Vector.GP, 0, "vc_hlt");
        assertEquals(0xFF, ev.get(2).ebx() & 0xFF, "IN from an allowed port");
    }

    // Proves V86 IN/OUT with IOPL 0 obey the I/O bitmap, word accesses included.
    @Test
    void ioBitmapWithIopl0() {
        ioBitmap(2);
    }

    // Proves the I/O permission bitmap applies in V86 even with IOPL 3.
    @Test
    void ioBitmapWithIopl3() {
        ioBitmap(3);
    }

    // Proves an exception in V86 (#DE) goes through its DPL-0 gate to ring 0 and returns.
    @Test
    void exceptionFromV86() {
        List<GuestMachine.Event> ev = run(4);
        assertEquals(2, ev.size(), m::describe);
        v86Event(ev.get(0), Vector.DE, 0, "vd_div");
        v86Event(ev.get(1), Vector.GP, 0, "vd_hlt");
        assertEquals(0x4321, ev.get(1).ebx() & 0xFFFF);
    }
    // Proves a task switch into a VM=1 TSS runs V86 with its SS0:ESP0 and no I/O bitmap.
    @Test
    void taskSwitchIntoV86Task() {
        esp0 = 0x6D000;
        List<GuestMachine.Event> ev = run(5);
        assertEquals("", m.console());
        assertEquals(2, ev.size(), m::describe);
        v86Event(ev.get(0), Vector.GP, 0, "ve_out");
        v86Event(ev.get(1), Vector.GP, 0, "ve_hlt");
        assertEquals(0x6789, ev.get(0).eax() & 0xFFFF);
        assertEquals(0x40, m.cpu.sel[Reg.TR]);
    }
}

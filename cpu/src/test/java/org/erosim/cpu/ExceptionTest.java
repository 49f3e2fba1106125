package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exceptions in protected mode, delivered through the IDT (guest program exceptions.S): every
 * vector the integer unit raises, with its error code, fault/trap EIP and the gate checks.
 */
class ExceptionTest extends GuestProgramTest {
    ExceptionTest() {
        super("exceptions");
    }

    private void ring0(GuestMachine.Event e) {
        assertEquals(0x08, e.cs(), m::describe);
        assertEquals(0x10, e.handlerSs(), m::describe);
    }

    // Proves #DE is a fault: the saved EIP is the DIV itself, CS the ring-0 code segment.
    @Test
    void divideErrorIsAFaultAtTheDiv() {
        List<GuestMachine.Event> ev = run(0);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.DE, 0, "de_fault");
        ring0(ev.get(0));
        assertEquals(0x7F000 - 4 - 12, ev.get(0).frameAddr(), "3-dword frame on the scenario stack");
    }

    // Proves TF single-steps: #DB after each instruction from the one after the POPF setting TF.
    @Test
    void trapFlagSingleStepsWithBsInDr6() {
        List<GuestMachine.Event> ev = run(1);
        String[] after = {"db_2", "db_3", "db_4", "db_5", "db_6"};
        assertEquals(after.length, ev.size(), m::describe);
        for (int k = 0; k < after.length; k++) {
            event(ev.get(k), Vector.DB, 0, after[k]);
            // the POPF before db_6 cleared TF: it still traps, with TF clear in the image
            assertEquals(k < 4 ? Flags.TF : 0, ev.get(k).eflags() & Flags.TF, "TF in the saved EFLAGS");
            assertEquals(0, ev.get(k).handlerFlags() & Flags.TF, "TF cleared in the handler");
            assertEquals(0x4000, ev.get(k).dr6() & 0x4000, "DR6.BS");
        }
    }

    // Proves INT3 raises #BP as a trap (EIP after the INT3).
    @Test
    void int3IsABreakpointTrap() {
        List<GuestMachine.Event> ev = run(2);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.BP, 0, "bp_after");
    }

    // Proves INTO traps to #OF only when OF is set.
    @Test
    void intoTrapsOnlyWithOverflow() {
        List<GuestMachine.Event> ev = run(3);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.OF, 0, "of_after");
        assertEquals(Flags.OF, ev.get(0).eflags() & Flags.OF);
    }

    // Proves BOUND raises #BR as a fault for an index outside the bounds and not inside.
    @Test
    void boundRaisesBoundRangeFault() {
        List<GuestMachine.Event> ev = run(4);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.BR, 0, "br_fault");
    }

    // Proves UD2 raises #UD as a fault.
    @Test
    void ud2RaisesInvalidOpcode() {
        List<GuestMachine.Event> ev = run(5);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.UD, 0, "ud_fault");
    }

    // Proves #NM for WAIT with CR0.MP+TS and for an x87 opcode with CR0.EM.
    @Test
    void deviceNotAvailableFromWaitAndEsc() {
        List<GuestMachine.Event> ev = run(6);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.NM, 0, "nm_f1");
        event(ev.get(1), Vector.NM, 0, "nm_f2");
    }

    // Proves #TS(selector) for a TSS limit below 0x67, raised before any state changes.
    @Test
    void invalidTssFromTooSmallTss() {
        List<GuestMachine.Event> ev = run(7);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.TS, 0x60, "ts_f");
        assertEquals(0x28, m.result(0), "TR unchanged");
        int gdt = m.sym("gdt");
        assertEquals(0x9, (m.read32(gdt + 0x60 + 4) >>> 8) & 0xF, "new TSS not marked busy");
        assertEquals(0xB, (m.read32(gdt + 0x28 + 4) >>> 8) & 0xF, "old TSS still busy");
    }

    // Proves #NP(selector) for a segment and #NP(vector*8+2), EXT clear, for INT n to a gate.
    @Test
    void segmentNotPresentErrorCodes() {
        List<GuestMachine.Event> ev = run(8);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.NP, 0x40, "np_f1");
        event(ev.get(1), Vector.NP, 0x31 * 8 + 2, "np_f2");
    }

    // Proves #SS(selector) for a not-present SS and #SS(0) beyond the limit, on a based stack.
    @Test
    void stackFaultErrorCodes() {
        List<GuestMachine.Event> ev = run(9);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.SS, 0x70, "ss_f1");
        event(ev.get(1), Vector.SS, 0, "ss_f2");
        assertEquals(0x68, ev.get(1).handlerSs());
        assertEquals(0x8000 - 12, ev.get(1).frameAddr(), "frame at ESP 0x8000 of the based stack");
    }

    // Proves #GP error codes: the selector for table/type/privilege errors, else 0.
    @Test
    void generalProtectionErrorCodes() {
        List<GuestMachine.Event> ev = run(10);
        int[] err = {0xFF8, 0x28, 0x50, 0, 0, 0, 0, 0x20, 0x10, 0};
        assertEquals(err.length, ev.size(), m::describe);
        for (int k = 0; k < err.length; k++) {
            event(ev.get(k), Vector.GP, err[k], "gp_f" + (k + 1));
        }
    }

    // Proves IDT limit, type and presence checks, the EXT bit, and IF in trap vs interrupt gates.
    @Test
    void idtLimitGateTypeAndExtBit() {
        List<GuestMachine.Event> ev = run(11);
        assertEquals(9, ev.size(), m::describe);
        event(ev.get(0), Vector.GP, 0x80 * 8 + 2, "idt_f1");
        event(ev.get(1), Vector.GP, 0x32 * 8 + 2, "idt_f2");
        event(ev.get(2), Vector.NP, 0x48 | 1, "idt_f3");
        event(ev.get(3), Vector.GP, 6 * 8 + 2 + 1, "idt_f4");
        event(ev.get(4), Vector.NP, 6 * 8 + 2 + 1, "idt_f5");
        event(ev.get(5), Vector.GP, 1, "idt_f6");
        event(ev.get(6), Vector.GP, 0x18 | 1, "idt_f7");
        assertEquals(0x33, ev.get(7).vector());
        assertEquals(Flags.IF, ev.get(7).handlerFlags() & Flags.IF, "trap gate");
        assertEquals(0x34, ev.get(8).vector());
        assertEquals(0, ev.get(8).handlerFlags() & Flags.IF, "interrupt gate");
        assertEquals(Flags.IF, ev.get(8).eflags() & Flags.IF, "IF saved in the frame");
    }

    // Proves a #GP raised while delivering a #GP becomes a double fault with error code 0.
    @Test
    void gpDuringGpDeliveryIsDoubleFault() {
        List<GuestMachine.Event> ev = run(12);
        assertEquals(1, ev.size(), m::describe);
        event(ev.get(0), Vector.DF, 0, "df_f");
        ring0(ev.get(0));
    }

    // Proves a fault while delivering #DF shuts the processor down (triple fault).
    @Test
    void faultDuringDoubleFaultShutsDown() {
        m = GuestMachine.load("exceptions").scenario(13).startReal();
        assertEquals(Interpreter.Stop.SHUTDOWN, m.run(), m::describe);
        assertTrue(m.cpu.shutdown);
        assertTrue(m.cpu.shutdownReason.contains("triple fault"), m.cpu.shutdownReason);
        assertEquals(0, m.events().size(), m::describe);
        assertEquals(m.sym("triple_f"), m.cpu.eip);
        assertEquals(-1, m.exitCode());
    }

    // Proves ring-3 INT n and INT3 check the gate DPL and a DPL-3 gate pushes the ring-3 SS:ESP.
    @Test
    void ring3SoftwareInterruptsCheckGateDpl() {
        List<GuestMachine.Event> ev = run(14);
        assertEquals(4, ev.size(), m::describe);
        event(ev.get(0), Vector.GP, 0x31 * 8 + 2, "r3i_f1");
        event(ev.get(1), Vector.GP, 3 * 8 + 2, "r3i_f2");
        event(ev.get(2), 0x35, 0, "r3i_after");
        for (int k = 0; k < 3; k++) {
            assertEquals(0x1B, ev.get(k).cs());
            assertEquals(0x23, ev.get(k).ss());
            assertEquals(0x8F000, ev.get(k).esp());
        }
        assertEquals(0x30, ev.get(3).vector());
    }

    // Proves a ring-3 fault via a trap gate uses the TSS stack and a 16-bit gate pushes 3 words.
    @Test
    void trapGateFromRing3And16BitGate() {
        List<GuestMachine.Event> ev = run(15);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.UD, 0, "gates_f1");
        assertEquals(0x1B, ev.get(0).cs());
        assertEquals(0x23, ev.get(0).ss());
        assertEquals(0x6F000 - 20, ev.get(0).frameAddr(), "5-dword frame at TSS ESP0");
        int esp = m.result(1);
        assertEquals(esp - 6, m.result(2));
        assertEquals((m.sym("int36_ret") & 0xFFFF) | (0x08 << 16), m.result(3));
        assertEquals(0x0002, m.result(4) & 0xFFFF & ~Flags.ARITH);
    }
    // Proves external interrupts wait for IF and the STI/MOV SS shadows, and set EXT in #NP.
    @Test
    void externalInterruptsHonourShadowsAndSetExt() {
        List<GuestMachine.Event> ev = run(16);
        assertEquals(3, ev.size(), m::describe);
        event(ev.get(0), 0x50, 0, "ext_2");
        event(ev.get(1), 0x52, 0, "ext_4");
        event(ev.get(2), Vector.NP, 0x51 * 8 + 2 + 1, "ext_5");
        for (GuestMachine.Event e : ev) {
            assertEquals(Flags.IF, e.eflags() & Flags.IF);
        }
    }
}

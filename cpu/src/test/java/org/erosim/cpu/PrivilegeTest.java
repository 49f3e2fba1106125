package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Privilege-level changes through IRET, gates and far transfers (guest program rings.S). */
class PrivilegeTest extends GuestProgramTest {
    PrivilegeTest() {
        super("rings");
    }

    private static final int STACK3_TOP = 0x8F000;
    private static final int TSS_ESP0 = 0x6F000;

    // Proves IRET to ring 3 nulls DPL-0 data segments and INT returns on SS0:ESP0 with a 5-dword frame.
    @Test
    void iretToRing3AndInterruptGateBack() {
        List<GuestMachine.Event> ev = run(0);
        assertEquals(1, ev.size(), m::describe);
        GuestMachine.Event e = ev.get(0);
        event(e, 0x30, 0, "iret_after");
        assertEquals(0, e.eax(), "DS nulled");
        assertEquals(0, e.ebx(), "ES nulled");
        assertEquals(0x23, e.ecx(), "FS (DPL 3) kept");
        assertEquals(0, e.edx(), "GS nulled");
        assertEquals(0x1B, e.esi(), "CS at CPL 3");
        assertEquals(0x23, e.edi(), "SS at CPL 3");
        assertEquals(0x1B, e.cs());
        assertEquals(0x23, e.ss());
        assertEquals(STACK3_TOP, e.esp());
        assertEquals(0x2, e.eflags() & ~Flags.ARITH, "EFLAGS image: IF=0, IOPL=0");
        assertEquals(TSS_ESP0 - 20, e.frameAddr(), "frame at ESP0 of the TSS");
        assertEquals(0x10, e.handlerSs(), "SS0 of the TSS");
    }

    // Proves ring-3 CLI/HLT/MOV CR/LGDT give #GP(0), OUT obeys the bitmap, POPF keeps IF/IOPL.
    @Test
    void ring3PrivilegedInstructionsAndIoBitmap() {
        List<GuestMachine.Event> ev = run(1);
        assertEquals(6, ev.size(), m::describe);
        for (int k = 0; k < 5; k++) {
            event(ev.get(k), Vector.GP, 0, "priv_f" + (k + 1));
            assertEquals(0x1B, ev.get(k).cs());
        }
        assertEquals("3", m.console());
        assertEquals(0, ev.get(5).eax() & (Flags.IF | Flags.IOPL), "POPF at CPL 3, IOPL 0");
    }

    // Proves a call gate copies parameters to the TSS stack and RET 12 returns, nulling FS.
    @Test
    void callGateCopiesParametersAndFarRetNullsSegments() {
        List<GuestMachine.Event> ev = run(2);
        assertEquals(1, ev.size(), m::describe);
        assertEquals(m.sym("cg_ret"), m.result(0), "return EIP");
        assertEquals(0x1B, m.result(1) & 0xFFFF, "return CS");
        assertEquals(0x33333333, m.result(2));
        assertEquals(0x22222222, m.result(3));
        assertEquals(0x11111111, m.result(4));
        assertEquals(STACK3_TOP - 12, m.result(5), "caller ESP");
        assertEquals(0x23, m.result(6) & 0xFFFF, "caller SS");
        assertEquals(TSS_ESP0 - 28, m.result(7), "ESP in the gate target");
        assertEquals(0x10, m.result(8), "SS0");
        assertEquals(0x08, m.result(9), "CS at CPL 0");
        GuestMachine.Event e = ev.get(0);
        assertEquals(STACK3_TOP, e.eax(), "ESP after RET 12");
        assertEquals(0, e.ecx(), "FS nulled");
        assertEquals(0x23, e.edx(), "GS kept");
        assertEquals(0x48, e.esi(), "ES (conforming code) kept");
        assertEquals(0x23, e.edi(), "DS kept");
        assertEquals(0x1B, e.ebx(), "back at CPL 3");
    }

    // Proves conforming code keeps CPL 3 while direct calls to DPL-0 code or gates give #GP.
    @Test
    void conformingCodeKeepsCallerPrivilege() {
        List<GuestMachine.Event> ev = run(3);
        assertEquals(0x4B, m.result(0), "CS of conforming code called from ring 3");
        assertEquals(STACK3_TOP - 8, m.result(1), "same stack");
        assertEquals(0x4B, m.result(2), "CS after JMP to conforming code");
        assertEquals(4, ev.size(), m::describe);
        event(ev.get(0), Vector.GP, 0x08, "conf_f1");
        event(ev.get(1), Vector.GP, 0x08, "conf_f2");
        event(ev.get(2), Vector.GP, 0x68, "conf_f3");
    }

    // Proves a call gate to ring 1 checks SS1 (#TS) and runs on SS1:ESP1 with CS RPL 1.
    @Test
    void callGateToRing1UsesSs1AndChecksIt() {
        List<GuestMachine.Event> ev = run(4);
        assertEquals(2, ev.size(), m::describe);
        event(ev.get(0), Vector.TS, 0x10, "r1_f1");
        assertEquals(0x1B, ev.get(0).cs());
        assertEquals(0x51, m.result(0), "CS at CPL 1");
        assertEquals(0x59, m.result(1), "SS1");
        assertEquals(0x5F000 - 20, m.result(2), "ESP1 minus SS, ESP, parameter, CS, EIP");
        assertEquals(0xABCD1234, m.result(3), "copied parameter");
        assertEquals(STACK3_TOP, ev.get(1).eax(), "parameter popped on return");
    }

    // Proves RET and IRET cannot return to a more privileged level: #GP(selector).
    @Test
    void returnToInnerLevelFaults() {
        List<GuestMachine.Event> ev = run(5);
        assertEquals(3, ev.size(), m::describe);
        event(ev.get(0), Vector.GP, 0x08, "inner_f1");
        event(ev.get(1), Vector.GP, 0x08, "inner_f2");
        assertEquals(STACK3_TOP - 20, ev.get(2).eax(), "faulting returns pop nothing");
    }
    // Proves 16-bit call gates (word parameters) and 16-bit interrupt gates, and their returns.
    @Test
    void sixteenBitCallGateAndInterruptGate() {
        List<GuestMachine.Event> ev = run(6);
        int org = m.origin();
        int[] expect = {m.sym("cg16_ret") - org, 0x73, 0x3333, 0x2222, 0x1111, 0x7FFA, 0x7B,
            0xEFF2, 0x88, 0x80, 0x8000, 0x8000, m.sym("int16_ret") - org, 0x73, -1, 0x8000, 0x7B, 0xEFF6};
        for (int k = 0; k < expect.length; k++) {
            if (expect[k] >= 0) {
                assertEquals(expect[k], m.result(k), "result " + k + "\n" + m.describe());
            }
        }
        assertEquals(0x0002, m.result(14) & ~Flags.ARITH, "FLAGS word: IF=0, IOPL=0");
        assertEquals(1, ev.size(), m::describe);
        assertEquals(0x30, ev.get(0).vector());
        assertEquals(m.sym("r3_16_end") - org, ev.get(0).eip());
        assertEquals(0x73, ev.get(0).cs());
        assertEquals(0x7B, ev.get(0).ss());
        assertEquals(0x8000, ev.get(0).esp() & 0xFFFF);
    }
    // Proves JMP through call gates never changes CPL and an interrupt gate to conforming code keeps the stack.
    @Test
    void jumpThroughCallGatesAndConformingInterruptHandler() {
        List<GuestMachine.Event> ev = run(7);
        assertEquals(0x08, m.result(0), "JMP through a DPL-0 gate at CPL 0");
        assertEquals(0x4B, m.result(1), "JMP through a gate to conforming code keeps CPL 3");
        assertEquals(0x4B, m.result(2), "conforming interrupt handler at CPL 3");
        assertEquals(STACK3_TOP - 12, m.result(3), "3-dword frame on the ring-3 stack");
        assertEquals(m.sym("conf_int_ret"), m.result(4));
        assertEquals(0x1B, m.result(5) & 0xFFFF);
        assertEquals(2, ev.size(), m::describe);
        assertEquals(Vector.GP, ev.get(0).vector());
        assertEquals(0x08, ev.get(0).error());
        assertEquals(m.sym("jg_f1"), ev.get(0).eip());
    }
}

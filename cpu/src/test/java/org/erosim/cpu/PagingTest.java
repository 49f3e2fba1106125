package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** IA-32 paging as a guest sees it (guest program paging.S). */
class PagingTest extends GuestProgramTest {
    PagingTest() {
        super("paging");
    }

    private static final int PD = 0x200000;
    private static final int PT1 = 0x202000;
    private static final int A = 0x20;
    private static final int D = 0x40;

    private void pf(GuestMachine.Event e, int error, int cr2, String eipLabel) {
        String why = m.describe();
        assertEquals(Vector.PF, e.vector(), why);
        assertEquals(error, e.error(), why);
        assertEquals(cr2, e.cr2(), why);
        assertEquals(m.sym(eipLabel), e.eip(), why);
    }

    private int pte1(int k) {
        return m.read32(PT1 + 4 * k);
    }

    // Proves 4 KiB and 4 MiB translations and A/D write-back, D also after a read-cached entry.
    @Test
    void translationsAndAccessedDirtyBits() {
        assertEquals(0, run(0).size(), m::describe);
        assertEquals(0xCAFEBABE, m.read32(0xC00010), "write through the 4 MiB page");
        assertEquals(0x80000000, m.result(1) & 0x80000000, "CR0.PG");
        assertEquals(A | D, m.read32(PD + 8) & (A | D), "written 4 MiB page: A and D");
        assertEquals(A, m.read32(PD + 12) & (A | D), "read 4 MiB page: A only");
        assertEquals(A, m.read32(PD + 4) & (A | D), "PDE of a 4 KiB page table: A");
        assertEquals(A, pte1(4) & (A | D), "read page: A only");
        assertEquals(A | D, pte1(5) & (A | D), "read then written page: A and D");
        assertEquals(0x5555, m.read32(0x305004));
        assertEquals(0, pte1(2) & (A | D), "untouched page");
    }

    // Proves supervisor #PF codes 0, 2, 3 with CR2, and CR0.WP on 4 KiB and 4 MiB pages.
    @Test
    void supervisorPageFaultsAndWriteProtect() {
        List<GuestMachine.Event> ev = run(1);
        assertEquals(5, ev.size(), m::describe);
        pf(ev.get(0), 0, 0x400000, "ps_f1");
        pf(ev.get(1), 2, 0x400004, "ps_f2");
        pf(ev.get(2), 0, 0x1000123, "ps_f3");
        pf(ev.get(3), 3, 0x401008, "ps_f4");
        pf(ev.get(4), 3, 0xC00001, "ps_f5");
        assertEquals(0x1234, m.read32(0x301000), "WP=0 write to a read-only page");
        assertEquals(A | D, pte1(1) & (A | D));
        assertEquals(0, m.read32(PD + 12) & D, "faulting write leaves D clear");
    }

    // Proves user #PF codes 4-7 with CR2, U/S and R/W from PDE and PTE, fetch faults, no D.
    @Test
    void userPageFaultsCombinePdeAndPte() {
        List<GuestMachine.Event> ev = run(2);
        assertEquals(11, ev.size(), m::describe);
        pf(ev.get(0), 4, 0x400000, "pu_f1");
        pf(ev.get(1), 6, 0x400000, "pu_f2");
        pf(ev.get(2), 5, 0x403000, "pu_f3");
        pf(ev.get(3), 7, 0x403000, "pu_f4");
        pf(ev.get(4), 7, 0x406000, "pu_f5");
        pf(ev.get(5), 5, 0x401000, "pu_f6");
        pf(ev.get(6), 7, 0xC00000, "pu_f7");
        pf(ev.get(7), 5, 0x1400000, "pu_f8");
        pf(ev.get(8), 7, 0x1800000, "pu_f9");
        GuestMachine.Event fetch = ev.get(9);
        assertEquals(Vector.PF, fetch.vector(), m::describe);
        assertEquals(5, fetch.error());
        assertEquals(0x403000, fetch.cr2());
        assertEquals(0x403000, fetch.eip(), "the fault is at the fetched address");
        for (int k = 0; k < 10; k++) {
            assertEquals(0x1B, ev.get(k).cs(), "from ring 3");
        }
        assertEquals(0x30, ev.get(10).vector());
        assertEquals(A, pte1(6) & (A | D), "user read-only page: read, faulting write leaves D clear");
        assertEquals(0x77, m.read32(0x302010));
    }

    // Proves stale translations last until INVLPG or a CR3 reload, in both TLB privilege sets.
    @Test
    void invlpgAndCr3ReloadFlushStaleTranslations() {
        List<GuestMachine.Event> ev = run(3);
        int[] expect = {0x11111111, 0x11111111, 0x22222222, 0x22222222, 0x11111111, 0x11111111, 0x11111111,
            0x22222222};
        for (int k = 0; k < expect.length; k++) {
            assertEquals(expect[k], m.result(k), "result " + k + "\n" + m.describe());
        }
        assertEquals(3, ev.size(), m::describe);
        pf(ev.get(0), 0, 0x408000, "inv_f1");
    }

    // Proves #PF while pushing the #PF frame is #DF(0), here through a task gate, with CR2 kept.
    @Test
    void pageFaultDuringPageFaultDeliveryIsDoubleFaultViaTaskGate() {
        assertEquals(0, run(4).size(), m::describe);
        assertEquals(0, m.result(0), "error code of #DF");
        assertEquals(0x4007FC, m.result(1), "CR2: the first push of the #PF frame");
        assertEquals(0x40, m.result(2), "TR");
        assertEquals(0x28, m.result(3), "back link");
        assertEquals(m.sym("df_f"), m.result(4), "saved EIP of the faulting instruction");
        assertEquals(0x400800, m.result(5), "saved ESP unchanged");
        assertEquals(Flags.NT, m.result(6) & Flags.NT);
        assertEquals(0x5E000, m.result(7), "error code popped from the new stack");
        assertEquals(PD, m.result(8), "CR3 from the new TSS");
    }

    // Proves REP MOVSB stops at the faulting element (ECX/ESI/EDI) and restarts to completion.
    @Test
    void repMovsbRestartsAfterDestinationPageFault() {
        List<GuestMachine.Event> ev = run(5);
        assertEquals(1, ev.size(), m::describe);
        GuestMachine.Event e = ev.get(0);
        pf(e, 2, 0x40B000, "rep_insn");
        int src = m.sym("src_buf");
        assertEquals(0x80, e.ecx(), "remaining count at the fault");
        assertEquals(src + 0x80, e.esi());
        assertEquals(0x40B000, e.edi());
        assertEquals(0, m.result(0));
        assertEquals(src + 0x100, m.result(1));
        assertEquals(0x40B080, m.result(2));
        for (int k = 0; k < 0x100; k++) {
            assertEquals((k * 7 + 3) & 0xFF, m.read8(0x30AF80 + k), "byte " + k);
        }
    }
    // Proves INVLPG inside a 4 MiB page drops the cached translations of all of that page.
    @Test
    void invlpgFlushesAWholeLargePage() {
        assertEquals(0, run(6).size(), m::describe);
        assertEquals(0xAAAA0000, m.result(0));
        assertEquals(0xBBBB0000, m.result(1), "new translation of 0x801000 after INVLPG 0x800000");
    }

    // Proves a page-crossing fault reports CR2 at the second page and writes nothing.
    @Test
    void pageCrossingFaultReportsTheSecondPage() {
        List<GuestMachine.Event> ev = run(7);
        assertEquals(3, ev.size(), m::describe);
        pf(ev.get(0), 0, 0x40B000, "cr_f1");
        pf(ev.get(1), 2, 0x40B000, "cr_f2");
        pf(ev.get(2), 2, 0x40B000, "cr_f3");
        assertEquals(0x12345678, m.result(0), "first page untouched");
    }
}

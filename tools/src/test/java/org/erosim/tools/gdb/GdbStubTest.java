package org.erosim.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Interpreter;
import org.erosim.cpu.Reg;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GDB remote protocol at the packet level: checksums and acks, register and memory
 * access, breakpoints, single step and continue, against a CPU running real code.
 */
class GdbStubTest {
    private PhysicalMemory mem;
    private Cpu cpu;
    private Interpreter interp;

    @BeforeEach
    void machine() {
        mem = new PhysicalMemory(1 << 20);
        cpu = new Cpu(mem);
        interp = new Interpreter(cpu);
        cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        for (int s = 0; s <= Reg.GS; s++) {
            cpu.setSegmentCache(s, s == Reg.CS ? 8 : 16, 0, -1, s == Reg.CS ? 0xC09B : 0xC093);
        }
        // 0x1000: inc eax ; inc eax ; inc eax ; jmp 0x1000
        byte[] code = {0x40, 0x40, 0x40, (byte) 0xEB, (byte) 0xFB};
        mem.writeBytes(0x1000, code, 0, code.length);
        cpu.eip = 0x1000;
        cpu.r[Reg.ESP] = 0x8000;
    }

    @AfterEach
    void free() {
        mem.close();
    }

    static String packet(String payload) {
        int sum = 0;
        for (char c : payload.toCharArray()) {
            sum += c;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xFF);
    }

    /** Runs a session of packets (each acknowledged) and returns the replies' payloads. */
    private List<String> session(String... packets) throws Exception {
        StringBuilder in = new StringBuilder();
        for (String p : packets) {
            in.append(packet(p)).append('+'); // our ack of the stub's reply
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GdbStub stub = new GdbStub(cpu, interp, 1_000_000);
        stub.serve(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.ISO_8859_1)), out);
        List<String> replies = new ArrayList<>();
        String s = out.toString(StandardCharsets.ISO_8859_1);
        int i = 0;
        while ((i = s.indexOf('$', i)) >= 0) {
            int hash = s.indexOf('#', i);
            String payload = s.substring(i + 1, hash);
            int sum = 0;
            for (char c : payload.toCharArray()) {
                sum += c;
            }
            assertEquals(String.format("%02x", sum & 0xFF), s.substring(hash + 1, hash + 3), "reply checksum");
            replies.add(payload);
            i = hash + 3;
        }
        return replies;
    }

    @Test
    void readsRegistersInGdbOrder() throws Exception {
        cpu.r[Reg.EAX] = 0x11223344;
        cpu.r[Reg.ECX] = 0x55;
        List<String> r = session("g");
        String g = r.get(0);
        assertTrue(g.startsWith("44332211" + "55000000"), g);
        assertEquals("00100000", g.substring(8 * 8, 8 * 9), "eip");
        assertEquals("08000000", g.substring(8 * 10, 8 * 11), "cs");
        assertEquals((16 * 4 + 8 * 10 + 8 * 4) * 2, g.length());
    }

    @Test
    void writesOneRegister() throws Exception {
        List<String> r = session("P0=78563412", "p0");
        assertEquals("OK", r.get(0));
        assertEquals("78563412", r.get(1));
        assertEquals(0x12345678, cpu.r[Reg.EAX]);
    }

    @Test
    void readsAndWritesMemory() throws Exception {
        List<String> r = session("m1000,5", "M2000,2:abcd", "m2000,2");
        assertEquals("404040ebfb", r.get(0));
        assertEquals("OK", r.get(1));
        assertEquals("abcd", r.get(2));
    }

    @Test
    void stepExecutesOneInstruction() throws Exception {
        List<String> r = session("s", "s", "p8");
        assertTrue(r.get(0).startsWith("T05"), r.get(0));
        assertEquals(2, cpu.r[Reg.EAX]);
        assertEquals("02100000", r.get(2));
    }

    @Test
    void continueStopsAtABreakpoint() throws Exception {
        List<String> r = session("Z0,1002,1", "c", "p0", "z0,1002,1");
        assertEquals("OK", r.get(0));
        assertTrue(r.get(1).startsWith("T05"), r.get(1));
        assertTrue(r.get(1).contains("swbreak"), r.get(1));
        assertEquals(0x1002, cpu.eip);
        assertEquals("02000000", r.get(2));
        assertEquals("OK", r.get(3));
    }

    @Test
    void answersQueriesAndTargetDescription() throws Exception {
        List<String> r = session("qSupported:xmlRegisters=i386", "qXfer:features:read:target.xml:0,40", "?");
        assertTrue(r.get(0).contains("qXfer:features:read+"), r.get(0));
        assertTrue(r.get(1).startsWith("m<?xml"), r.get(1));
        assertTrue(r.get(2).startsWith("T05"), r.get(2));
    }

    @Test
    void badChecksumIsNacked() throws Exception {
        String in = "$g#00" + packet("?") + "+";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GdbStub(cpu, interp, 1000).serve(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)), out);
        String s = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("-+$T05"), s);
    }

    @Test
    void killEndsTheSession() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GdbStub.Outcome o = new GdbStub(cpu, interp, 1000).serve(
            new ByteArrayInputStream(packet("k").getBytes(StandardCharsets.ISO_8859_1)), out);
        assertEquals(GdbStub.Outcome.KILLED, o);
    }
}

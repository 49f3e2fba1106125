package org.erosim.tools.boot;

import java.io.PrintWriter;
import org.erosim.cpu.Cpu;
import org.erosim.cpu.Reg;
import org.erosim.cpu.decode.Disassembler;

/**
 * The instruction trace of {@code boot --trace}: one line per instruction with CS:EIP, the
 * bytes, the Intel-syntax disassembly (from the decoder's tables) and the registers before
 * it executes. Bounded: after {@code limit} lines the trace ends with a note.
 */
final class Tracer {
    private final PrintWriter out;
    private final long limit;
    private long lines;
    private final byte[] window = new byte[16];

    Tracer(PrintWriter out, long limit) {
        this.out = out;
        this.limit = limit;
    }

    boolean full() {
        return lines >= limit;
    }

    void record(Cpu c) {
        if (lines++ >= limit) {
            return;
        }
        int lin = c.segBase[Reg.CS] + c.eip;
        int n = 0;
        for (; n < window.length; n++) {
            long pa = c.mmu.translate(lin + n, 0, false);
            if (pa < 0) {
                break;
            }
            window[n] = (byte) c.mem.read8(pa & 0xFFFFFFFFL);
        }
        String text;
        int len;
        if (n == 0) {
            text = "(page not present)";
            len = 0;
        } else {
            Disassembler.Instruction d = Disassembler.disassemble(window, 0, n, c.eip, c.code32);
            text = d.text();
            len = d.length();
        }
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < Math.min(len, 8); i++) {
            bytes.append(String.format("%02x", window[i]));
        }
        out.printf("%04x:%08x %-16s %-32s eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x esp=%08x fl=%08x%n",
            c.sel[Reg.CS], c.eip, bytes, text, c.r[Reg.EAX], c.r[Reg.EBX], c.r[Reg.ECX], c.r[Reg.EDX], c.r[Reg.ESI],
            c.r[Reg.EDI], c.r[Reg.EBP], c.r[Reg.ESP], c.eflags());
        if (lines == limit) {
            out.printf("... trace limit of %d instructions reached; execution continues untraced%n", limit);
        }
    }
}

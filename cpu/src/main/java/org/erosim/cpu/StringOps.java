package org.erosim.cpu;

/**
 * MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS ({@code sub} 0..6) with REP/REPE/REPNE.
 *
 * <p>Source operands use the segment override (default DS); the destination is always ES.
 * Index registers and the count are SI/DI/CX or ESI/EDI/ECX by address size. Registers are
 * updated after every iteration, so a fault mid-string restarts cleanly at the faulting
 * element. A long REP yields after {@link #CHUNK} iterations (EIP stays on the instruction)
 * so that interrupts and the instruction budget are honoured, as hardware does.
 */
final class StringOps {
    private StringOps() {
    }

    static final int MOVS = 0;
    static final int CMPS = 1;
    static final int STOS = 2;
    static final int LODS = 3;
    static final int SCAS = 4;
    static final int INS = 5;
    static final int OUTS = 6;
    static final int CHUNK = 4096;

    static final class Str extends Insn {
        @Override
        public void exec(Cpu c) {
            int n = 1 << sz;
            int step = c.df() ? -n : n;
            if (sub >= INS) {
                Io.checkPort(c, c.r[Reg.EDX] & 0xFFFF, n);
            }
            if (rep == 0) {
                once(c, step);
                return;
            }
            int count = a32 ? c.r[Reg.ECX] : c.r[Reg.ECX] & 0xFFFF;
            int done = 0;
            while (count != 0) {
                once(c, step);
                count--;
                if (a32) {
                    c.r[Reg.ECX] = count;
                } else {
                    c.setReg16(Reg.ECX, count);
                }
                done++;
                if (sub == CMPS || sub == SCAS) {
                    boolean zf = Flags.zf(c);
                    if ((rep == 0xF3 && !zf) || (rep == 0xF2 && zf)) {
                        break;
                    }
                }
                if (done == CHUNK && count != 0) {
                    c.eip = eip; // resume this instruction after pending events
                    c.exitBlock = true;
                    break;
                }
            }
            c.cycles += (long) done * imm2;
        }

        private void once(Cpu c, int step) {
            int si = a32 ? c.r[Reg.ESI] : c.r[Reg.ESI] & 0xFFFF;
            int di = a32 ? c.r[Reg.EDI] : c.r[Reg.EDI] & 0xFFFF;
            switch (sub) {
                case MOVS:
                    c.write(sz, Reg.ES, di, c.read(sz, seg, si));
                    advance(c, Reg.ESI, si, step);
                    advance(c, Reg.EDI, di, step);
                    break;
                case CMPS: {
                    int a = c.read(sz, seg, si);
                    int b = c.read(sz, Reg.ES, di);
                    AluOps.alu(c, AluOps.CMP, sz, a, b);
                    advance(c, Reg.ESI, si, step);
                    advance(c, Reg.EDI, di, step);
                    break;
                }
                case STOS:
                    c.write(sz, Reg.ES, di, c.reg(sz, Reg.EAX));
                    advance(c, Reg.EDI, di, step);
                    break;
                case LODS:
                    c.setReg(sz, Reg.EAX, c.read(sz, seg, si));
                    advance(c, Reg.ESI, si, step);
                    break;
                case SCAS:
                    AluOps.alu(c, AluOps.CMP, sz, c.reg(sz, Reg.EAX), c.read(sz, Reg.ES, di));
                    advance(c, Reg.EDI, di, step);
                    break;
                case INS: {
                    // the destination is checked first so a faulting INS does not consume input
                    c.linear(Reg.ES, di, sz, true);
                    int v = c.io.in(c.r[Reg.EDX] & 0xFFFF, 1 << sz);
                    c.write(sz, Reg.ES, di, v);
                    advance(c, Reg.EDI, di, step);
                    break;
                }
                default: { // OUTS
                    int v = c.read(sz, seg, si);
                    c.io.out(c.r[Reg.EDX] & 0xFFFF, 1 << sz, v);
                    advance(c, Reg.ESI, si, step);
                    break;
                }
            }
        }

        private void advance(Cpu c, int r, int v, int step) {
            if (a32) {
                c.r[r] = v + step;
            } else {
                c.setReg16(r, v + step);
            }
        }
    }
}

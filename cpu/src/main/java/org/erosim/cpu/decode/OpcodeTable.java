package org.erosim.cpu.decode;

import static org.erosim.cpu.decode.OpDef.ADDRESS_SIZED;
import static org.erosim.cpu.decode.OpDef.BLOCK_END;
import static org.erosim.cpu.decode.OpDef.BYTE;
import static org.erosim.cpu.decode.OpDef.COND_BRANCH;
import static org.erosim.cpu.decode.OpDef.INVALID;
import static org.erosim.cpu.decode.OpDef.LOCKABLE;
import static org.erosim.cpu.decode.OpDef.MODRM;
import static org.erosim.cpu.decode.OpDef.REPE_REPNE;
import static org.erosim.cpu.decode.OpDef.REP_OK;
import static org.erosim.cpu.decode.OpDef.SERIALIZE;
import static org.erosim.cpu.decode.OpDef.SIZE_SUFFIX;
import static org.erosim.cpu.decode.OpDef.STRING;

/**
 * The IA-32 integer opcode maps (one-byte and 0F two-byte) as data: the single source of
 * truth for the decoder, the executor factory and the disassembler.
 *
 * <p>Index: {@code 0x000-0x0FF} one-byte opcodes, {@code 0x100-0x1FF} 0F-prefixed ones.
 * ModRM presence is derived from the operand specs (any E/G/M/S/C/D/T/R operand) plus the
 * {@link OpDef#MODRM} flag for groups and operand-less ModRM forms.
 */
public final class OpcodeTable {
    private OpcodeTable() {
    }

    private static final OpDef[] MAP = new OpDef[512];
    private static final OpDef BAD = new OpDef("(bad)", "(bad)", new int[0], Kind.UD, 0, INVALID);

    public static OpDef get(int opcode) {
        return MAP[opcode];
    }

    public static OpDef invalid() {
        return BAD;
    }

    // --------------------------------------------------------------- builder helpers

    private static int[] ops(String spec) {
        if (spec.isEmpty()) {
            return new int[0];
        }
        String[] p = spec.split(",");
        int[] o = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            o[i] = Operand.parse(p[i].trim());
        }
        return o;
    }

    private static boolean needsModrm(int[] o) {
        for (int x : o) {
            if (Operand.isRm(x) || x == Operand.Gb || x == Operand.Gw || x == Operand.Gd || x == Operand.Gv
                || x == Operand.Sw || x == Operand.Cd || x == Operand.Dd || x == Operand.Td || x == Operand.Rd) {
                return true;
            }
        }
        return false;
    }

    static OpDef d(String m16, String m32, int kind, int sub, String spec, int flags) {
        int[] o = ops(spec);
        if (needsModrm(o)) {
            flags |= MODRM;
        }
        return new OpDef(m16, m32, o, kind, sub, flags);
    }

    static OpDef d(String m, int kind, int sub, String spec, int flags) {
        return d(m, m, kind, sub, spec, flags);
    }

    private static void op(int code, String m, int kind, int sub, String spec, int flags) {
        MAP[code] = d(m, kind, sub, spec, flags);
    }

    private static void op(int code, String m16, String m32, int kind, int sub, String spec, int flags) {
        MAP[code] = d(m16, m32, kind, sub, spec, flags);
    }

    private static void group(int code, OpDef... g) {
        MAP[code] = new OpDef(shaped(g), null);
    }

    private static void group2(int code, OpDef[] mem, OpDef[] reg) {
        MAP[code] = new OpDef(shaped(mem), shaped(reg));
    }

    /**
     * Undefined members of a group keep the operand shape of the group's first defined
     * member: hardware determines instruction length from the opcode, not from the ModRM
     * reg field, so e.g. C7 /7 is as long as C7 /0 (and can exceed the length limit).
     */
    private static OpDef[] shaped(OpDef[] g) {
        OpDef shape = null;
        for (OpDef e : g) {
            if (e != BAD) {
                shape = e;
                break;
            }
        }
        if (shape == null) {
            return g;
        }
        OpDef bad = new OpDef("(bad)", "(bad)", shape.operands, Kind.UD, 0, INVALID | MODRM);
        OpDef[] out = g.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == BAD) {
                out[i] = bad;
            }
        }
        return out;
    }

    private static OpDef ud() {
        return BAD;
    }

    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFTS = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
        "le", "g"};

    static {
        // ---------------- one-byte map
        for (int a = 0; a < 8; a++) {
            int base = a * 8;
            int lock = a == 7 ? 0 : LOCKABLE;
            op(base, ALU[a], Kind.ALU, a, "Eb,Gb", lock | BYTE);
            op(base + 1, ALU[a], Kind.ALU, a, "Ev,Gv", lock);
            op(base + 2, ALU[a], Kind.ALU, a, "Gb,Eb", BYTE);
            op(base + 3, ALU[a], Kind.ALU, a, "Gv,Ev", 0);
            op(base + 4, ALU[a], Kind.ALU, a, "AL,Ib", BYTE);
            op(base + 5, ALU[a], Kind.ALU, a, "eAX,Iv", 0);
        }
        op(0x06, "push", Kind.PUSH_SREG, 0, "ES", SIZE_SUFFIX);
        op(0x07, "pop", Kind.POP_SREG, 0, "ES", SIZE_SUFFIX);
        op(0x0E, "push", Kind.PUSH_SREG, 1, "CS", SIZE_SUFFIX);
        op(0x16, "push", Kind.PUSH_SREG, 2, "SS", SIZE_SUFFIX);
        op(0x17, "pop", Kind.POP_SREG, 2, "SS", BLOCK_END | SIZE_SUFFIX);
        op(0x1E, "push", Kind.PUSH_SREG, 3, "DS", SIZE_SUFFIX);
        op(0x1F, "pop", Kind.POP_SREG, 3, "DS", SIZE_SUFFIX);
        op(0x27, "daa", Kind.BCD, 0, "", 0);
        op(0x2F, "das", Kind.BCD, 1, "", 0);
        op(0x37, "aaa", Kind.BCD, 2, "", 0);
        op(0x3F, "aas", Kind.BCD, 3, "", 0);
        for (int i = 0; i < 8; i++) {
            op(0x40 + i, "inc", Kind.INC, 0, "Zv", 0);
            op(0x48 + i, "dec", Kind.DEC, 0, "Zv", 0);
            op(0x50 + i, "push", Kind.PUSH, 0, "Zv", 0);
            op(0x58 + i, "pop", Kind.POP, 0, "Zv", 0);
        }
        op(0x60, "pusha", "pushad", Kind.PUSHA, 0, "", 0);
        op(0x61, "popa", "popad", Kind.POPA, 0, "", 0);
        op(0x62, "bound", Kind.BOUND, 0, "Gv,Ma", 0);
        op(0x63, "arpl", Kind.ARPL, 0, "Ew,Gw", 0);
        op(0x68, "push", Kind.PUSH, 0, "Iv", SIZE_SUFFIX);
        op(0x69, "imul", Kind.IMUL3, 0, "Gv,Ev,Iv", 0);
        op(0x6A, "push", Kind.PUSH, 0, "Ibs", SIZE_SUFFIX);
        op(0x6B, "imul", Kind.IMUL3, 0, "Gv,Ev,Ibs", 0);
        op(0x6C, "insb", Kind.STRING, 5, "Yb,DX", STRING | REP_OK | BYTE);
        op(0x6D, "insw", "insd", Kind.STRING, 5, "Yv,DX", STRING | REP_OK);
        op(0x6E, "outsb", Kind.STRING, 6, "DX,Xb", STRING | REP_OK | BYTE);
        op(0x6F, "outsw", "outsd", Kind.STRING, 6, "DX,Xv", STRING | REP_OK);
        for (int c = 0; c < 16; c++) {
            op(0x70 + c, "j" + CC[c], Kind.JCC, c, "Jb", COND_BRANCH);
            op(0x180 + c, "j" + CC[c], Kind.JCC, c, "Jv", COND_BRANCH);
            op(0x190 + c, "set" + CC[c], Kind.SETCC, c, "Eb", BYTE);
            op(0x140 + c, "cmov" + CC[c], Kind.CMOVCC, c, "Gv,Ev", 0);
        }
        OpDef[] g1b = new OpDef[8];
        OpDef[] g1v = new OpDef[8];
        OpDef[] g1bs = new OpDef[8];
        for (int a = 0; a < 8; a++) {
            int lock = a == 7 ? 0 : LOCKABLE;
            g1b[a] = d(ALU[a], Kind.ALU, a, "Eb,Ib", lock | BYTE);
            g1v[a] = d(ALU[a], Kind.ALU, a, "Ev,Iv", lock);
            g1bs[a] = d(ALU[a], Kind.ALU, a, "Ev,Ibs", lock);
        }
        group(0x80, g1b);
        group(0x81, g1v);
        group(0x82, g1b);
        group(0x83, g1bs);
        op(0x84, "test", Kind.TEST, 0, "Eb,Gb", BYTE);
        op(0x85, "test", Kind.TEST, 0, "Ev,Gv", 0);
        op(0x86, "xchg", Kind.XCHG, 0, "Eb,Gb", LOCKABLE | BYTE);
        op(0x87, "xchg", Kind.XCHG, 0, "Ev,Gv", LOCKABLE);
        op(0x88, "mov", Kind.MOV, 0, "Eb,Gb", BYTE);
        op(0x89, "mov", Kind.MOV, 0, "Ev,Gv", 0);
        op(0x8A, "mov", Kind.MOV, 0, "Gb,Eb", BYTE);
        op(0x8B, "mov", Kind.MOV, 0, "Gv,Ev", 0);
        op(0x8C, "mov", Kind.MOV_FROM_SREG, 0, "Rv/Mw,Sw", 0);
        op(0x8D, "lea", Kind.LEA, 0, "Gv,M", 0);
        op(0x8E, "mov", Kind.MOV_TO_SREG, 0, "Sw,Rv/Mw", BLOCK_END);
        group(0x8F, d("pop", Kind.POP, 0, "Ev", 0), ud(), ud(), ud(), ud(), ud(), ud(), ud());
        op(0x90, "nop", Kind.NOP, 0, "", 0);
        for (int i = 1; i < 8; i++) {
            op(0x90 + i, "xchg", Kind.XCHG, 0, "Zv,eAX", 0);
        }
        op(0x98, "cbw", "cwde", Kind.CBW, 0, "", 0);
        op(0x99, "cwd", "cdq", Kind.CWD, 0, "", 0);
        op(0x9A, "call", Kind.CALL_FAR, 0, "Ap", BLOCK_END);
        op(0x9B, "wait", Kind.WAIT, 0, "", 0);
        op(0x9C, "pushf", "pushfd", Kind.PUSHF, 0, "", 0);
        op(0x9D, "popf", "popfd", Kind.POPF, 0, "", BLOCK_END);
        op(0x9E, "sahf", Kind.SAHF, 0, "", 0);
        op(0x9F, "lahf", Kind.LAHF, 0, "", 0);
        op(0xA0, "mov", Kind.MOV, 0, "AL,Ob", BYTE);
        op(0xA1, "mov", Kind.MOV, 0, "eAX,Ov", 0);
        op(0xA2, "mov", Kind.MOV, 0, "Ob,AL", BYTE);
        op(0xA3, "mov", Kind.MOV, 0, "Ov,eAX", 0);
        op(0xA4, "movsb", Kind.STRING, 0, "Yb,Xb", STRING | REP_OK | BYTE);
        op(0xA5, "movsw", "movsd", Kind.STRING, 0, "Yv,Xv", STRING | REP_OK);
        op(0xA6, "cmpsb", Kind.STRING, 1, "Xb,Yb", STRING | REP_OK | REPE_REPNE | BYTE);
        op(0xA7, "cmpsw", "cmpsd", Kind.STRING, 1, "Xv,Yv", STRING | REP_OK | REPE_REPNE);
        op(0xA8, "test", Kind.TEST, 0, "AL,Ib", BYTE);
        op(0xA9, "test", Kind.TEST, 0, "eAX,Iv", 0);
        op(0xAA, "stosb", Kind.STRING, 2, "Yb,AL", STRING | REP_OK | BYTE);
        op(0xAB, "stosw", "stosd", Kind.STRING, 2, "Yv,eAX", STRING | REP_OK);
        op(0xAC, "lodsb", Kind.STRING, 3, "AL,Xb", STRING | REP_OK | BYTE);
        op(0xAD, "lodsw", "lodsd", Kind.STRING, 3, "eAX,Xv", STRING | REP_OK);
        op(0xAE, "scasb", Kind.STRING, 4, "AL,Yb", STRING | REP_OK | REPE_REPNE | BYTE);
        op(0xAF, "scasw", "scasd", Kind.STRING, 4, "eAX,Yv", STRING | REP_OK | REPE_REPNE);
        for (int i = 0; i < 8; i++) {
            op(0xB0 + i, "mov", Kind.MOV, 0, "Zb,Ib", BYTE);
            op(0xB8 + i, "mov", Kind.MOV, 0, "Zv,Iv", 0);
        }
        OpDef[] g2bI = new OpDef[8];
        OpDef[] g2vI = new OpDef[8];
        OpDef[] g2b1 = new OpDef[8];
        OpDef[] g2v1 = new OpDef[8];
        OpDef[] g2bC = new OpDef[8];
        OpDef[] g2vC = new OpDef[8];
        for (int s = 0; s < 8; s++) {
            g2bI[s] = d(SHIFTS[s], Kind.SHIFT, s, "Eb,Ib", BYTE);
            g2vI[s] = d(SHIFTS[s], Kind.SHIFT, s, "Ev,Ib", 0);
            g2b1[s] = d(SHIFTS[s], Kind.SHIFT, s, "Eb,1", BYTE);
            g2v1[s] = d(SHIFTS[s], Kind.SHIFT, s, "Ev,1", 0);
            g2bC[s] = d(SHIFTS[s], Kind.SHIFT, s, "Eb,CL", BYTE);
            g2vC[s] = d(SHIFTS[s], Kind.SHIFT, s, "Ev,CL", 0);
        }
        group(0xC0, g2bI);
        group(0xC1, g2vI);
        op(0xC2, "ret", Kind.RET, 0, "Iw", BLOCK_END | SIZE_SUFFIX);
        op(0xC3, "ret", Kind.RET, 0, "", BLOCK_END | SIZE_SUFFIX);
        op(0xC4, "les", Kind.LOAD_FAR, 0, "Gv,Mp", 0);
        op(0xC5, "lds", Kind.LOAD_FAR, 3, "Gv,Mp", 0);
        group(0xC6, d("mov", Kind.MOV, 0, "Eb,Ib", BYTE), ud(), ud(), ud(), ud(), ud(), ud(), ud());
        group(0xC7, d("mov", Kind.MOV, 0, "Ev,Iv", 0), ud(), ud(), ud(), ud(), ud(), ud(), ud());
        op(0xC8, "enter", Kind.ENTER, 0, "Iw,Ib2", SIZE_SUFFIX);
        op(0xC9, "leave", Kind.LEAVE, 0, "", SIZE_SUFFIX);
        op(0xCA, "retf", Kind.RETF, 0, "Iw", BLOCK_END | SIZE_SUFFIX);
        op(0xCB, "retf", Kind.RETF, 0, "", BLOCK_END | SIZE_SUFFIX);
        op(0xCC, "int3", Kind.INT3, 0, "", BLOCK_END);
        op(0xCD, "int", Kind.INT, 0, "Ib", BLOCK_END);
        op(0xCE, "into", Kind.INTO, 0, "", BLOCK_END);
        op(0xCF, "iret", "iretd", Kind.IRET, 0, "", BLOCK_END);
        group(0xD0, g2b1);
        group(0xD1, g2v1);
        group(0xD2, g2bC);
        group(0xD3, g2vC);
        op(0xD4, "aam", Kind.BCD, 4, "Ib", 0);
        op(0xD5, "aad", Kind.BCD, 5, "Ib", 0);
        op(0xD6, "salc", Kind.SALC, 0, "", 0);
        op(0xD7, "xlatb", Kind.XLAT, 0, "", 0);
        for (int i = 0; i < 8; i++) {
            op(0xD8 + i, "esc", Kind.ESC, i, "Ev", 0);
        }
        op(0xE0, "loopne", Kind.LOOP, 0, "Jb", COND_BRANCH);
        op(0xE1, "loope", Kind.LOOP, 1, "Jb", COND_BRANCH);
        op(0xE2, "loop", Kind.LOOP, 2, "Jb", COND_BRANCH);
        op(0xE3, "jcxz", "jecxz", Kind.JCXZ, 0, "Jb", COND_BRANCH | ADDRESS_SIZED);
        op(0xE4, "in", Kind.IN, 0, "AL,Ib", BYTE);
        op(0xE5, "in", Kind.IN, 0, "eAX,Ib", 0);
        op(0xE6, "out", Kind.OUT, 0, "Ib,AL", BYTE);
        op(0xE7, "out", Kind.OUT, 0, "Ib,eAX", 0);
        op(0xE8, "call", Kind.CALL, 0, "Jv", BLOCK_END | SIZE_SUFFIX);
        op(0xE9, "jmp", Kind.JMP, 0, "Jv", BLOCK_END);
        op(0xEA, "jmp", Kind.JMP_FAR, 0, "Ap", BLOCK_END);
        op(0xEB, "jmp", Kind.JMP, 0, "Jb", BLOCK_END);
        op(0xEC, "in", Kind.IN, 0, "AL,DX", BYTE);
        op(0xED, "in", Kind.IN, 0, "eAX,DX", 0);
        op(0xEE, "out", Kind.OUT, 0, "DX,AL", BYTE);
        op(0xEF, "out", Kind.OUT, 0, "DX,eAX", 0);
        op(0xF1, "int1", Kind.INT1, 0, "", BLOCK_END);
        op(0xF4, "hlt", Kind.HLT, 0, "", BLOCK_END);
        op(0xF5, "cmc", Kind.FLAGOP, 0, "", 0);
        group(0xF6, d("test", Kind.TEST, 0, "Eb,Ib", BYTE), d("test", Kind.TEST, 0, "Eb,Ib", BYTE),
            d("not", Kind.NOT, 0, "Eb", LOCKABLE | BYTE), d("neg", Kind.NEG, 0, "Eb", LOCKABLE | BYTE),
            d("mul", Kind.MUL, 0, "Eb", BYTE), d("imul", Kind.IMUL1, 0, "Eb", BYTE),
            d("div", Kind.DIV, 0, "Eb", BYTE), d("idiv", Kind.IDIV, 0, "Eb", BYTE));
        group(0xF7, d("test", Kind.TEST, 0, "Ev,Iv", 0), d("test", Kind.TEST, 0, "Ev,Iv", 0),
            d("not", Kind.NOT, 0, "Ev", LOCKABLE), d("neg", Kind.NEG, 0, "Ev", LOCKABLE),
            d("mul", Kind.MUL, 0, "Ev", 0), d("imul", Kind.IMUL1, 0, "Ev", 0),
            d("div", Kind.DIV, 0, "Ev", 0), d("idiv", Kind.IDIV, 0, "Ev", 0));
        op(0xF8, "clc", Kind.FLAGOP, 1, "", 0);
        op(0xF9, "stc", Kind.FLAGOP, 2, "", 0);
        op(0xFA, "cli", Kind.FLAGOP, 3, "", BLOCK_END);
        op(0xFB, "sti", Kind.FLAGOP, 4, "", BLOCK_END);
        op(0xFC, "cld", Kind.FLAGOP, 5, "", 0);
        op(0xFD, "std", Kind.FLAGOP, 6, "", 0);
        group(0xFE, d("inc", Kind.INC, 0, "Eb", LOCKABLE | BYTE), d("dec", Kind.DEC, 0, "Eb", LOCKABLE | BYTE),
            ud(), ud(), ud(), ud(), ud(), ud());
        group(0xFF, d("inc", Kind.INC, 0, "Ev", LOCKABLE), d("dec", Kind.DEC, 0, "Ev", LOCKABLE),
            d("call", Kind.CALL, 1, "Ev", BLOCK_END), d("call", Kind.CALL_FAR, 1, "Mp", BLOCK_END),
            d("jmp", Kind.JMP, 1, "Ev", BLOCK_END), d("jmp", Kind.JMP_FAR, 1, "Mp", BLOCK_END),
            d("push", Kind.PUSH, 0, "Ev", 0), ud());

        // ---------------- two-byte map (0F xx)
        group(0x100, d("sldt", Kind.SYS, 0, "Rv/Mw", 0), d("str", Kind.SYS, 1, "Rv/Mw", 0),
            d("lldt", Kind.SYS, 2, "Ew", SERIALIZE), d("ltr", Kind.SYS, 3, "Ew", SERIALIZE),
            d("verr", Kind.SYS, 4, "Ew", 0), d("verw", Kind.SYS, 5, "Ew", 0), ud(), ud());
        group2(0x101,
            new OpDef[] {d("sgdt", Kind.SYS, 6, "Ms", SIZE_SUFFIX), d("sidt", Kind.SYS, 7, "Ms", SIZE_SUFFIX),
                d("lgdt", Kind.SYS, 8, "Ms", SERIALIZE | SIZE_SUFFIX),
                d("lidt", Kind.SYS, 9, "Ms", SERIALIZE | SIZE_SUFFIX),
                d("smsw", Kind.SYS, 10, "Ew", 0), ud(), d("lmsw", Kind.SYS, 11, "Ew", BLOCK_END),
                d("invlpg", Kind.SYS, 12, "M", SERIALIZE)},
            new OpDef[] {ud(), ud(), ud(), ud(), d("smsw", Kind.SYS, 10, "Ev", 0), ud(),
                d("lmsw", Kind.SYS, 11, "Ew", BLOCK_END), ud()});
        op(0x102, "lar", Kind.SYS, 13, "Gv,Rv/Mw", 0);
        op(0x103, "lsl", Kind.SYS, 14, "Gv,Rv/Mw", 0);
        op(0x106, "clts", Kind.SYS, 15, "", SERIALIZE);
        op(0x108, "invd", Kind.SYS, 16, "", 0);
        op(0x109, "wbinvd", Kind.SYS, 17, "", 0);
        op(0x10B, "ud2", Kind.UD, 0, "", 0);
        for (int i = 0x118; i <= 0x11F; i++) {
            op(i, "nop", Kind.NOP, 0, "Ev", 0); // hint NOPs (0F 1F /0 is the documented long NOP)
        }
        op(0x120, "mov", Kind.MOV_CR, 0, "Rd,Cd", 0);
        op(0x121, "mov", Kind.MOV_DR, 0, "Rd,Dd", 0);
        op(0x122, "mov", Kind.MOV_CR, 1, "Cd,Rd", BLOCK_END);
        op(0x123, "mov", Kind.MOV_DR, 1, "Dd,Rd", BLOCK_END);
        op(0x130, "wrmsr", Kind.WRMSR, 0, "", 0);
        op(0x131, "rdtsc", Kind.RDTSC, 0, "", 0);
        op(0x132, "rdmsr", Kind.RDMSR, 0, "", 0);
        op(0x133, "rdpmc", Kind.RDPMC, 0, "", 0);
        op(0x1A0, "push", Kind.PUSH_SREG, 4, "FS", SIZE_SUFFIX);
        op(0x1A1, "pop", Kind.POP_SREG, 4, "FS", SIZE_SUFFIX);
        op(0x1A2, "cpuid", Kind.CPUID, 0, "", 0);
        op(0x1A3, "bt", Kind.BT, 0, "Ev,Gv", 0);
        op(0x1A4, "shld", Kind.SHLD, 0, "Ev,Gv,Ib", 0);
        op(0x1A5, "shld", Kind.SHLD, 0, "Ev,Gv,CL", 0);
        op(0x1A8, "push", Kind.PUSH_SREG, 5, "GS", SIZE_SUFFIX);
        op(0x1A9, "pop", Kind.POP_SREG, 5, "GS", SIZE_SUFFIX);
        op(0x1AB, "bts", Kind.BT, 1, "Ev,Gv", LOCKABLE);
        op(0x1AC, "shrd", Kind.SHRD, 0, "Ev,Gv,Ib", 0);
        op(0x1AD, "shrd", Kind.SHRD, 0, "Ev,Gv,CL", 0);
        op(0x1AF, "imul", Kind.IMUL2, 0, "Gv,Ev", 0);
        op(0x1B0, "cmpxchg", Kind.CMPXCHG, 0, "Eb,Gb", LOCKABLE | BYTE);
        op(0x1B1, "cmpxchg", Kind.CMPXCHG, 0, "Ev,Gv", LOCKABLE);
        op(0x1B2, "lss", Kind.LOAD_FAR, 2, "Gv,Mp", 0);
        op(0x1B3, "btr", Kind.BT, 2, "Ev,Gv", LOCKABLE);
        op(0x1B4, "lfs", Kind.LOAD_FAR, 4, "Gv,Mp", 0);
        op(0x1B5, "lgs", Kind.LOAD_FAR, 5, "Gv,Mp", 0);
        op(0x1B6, "movzx", Kind.MOVZX, 0, "Gv,Eb", 0);
        op(0x1B7, "movzx", Kind.MOVZX, 1, "Gv,Ew", 0);
        op(0x1B9, "ud1", Kind.UD, 0, "Gv,Ev", 0);
        group(0x1BA, ud(), ud(), ud(), ud(), d("bt", Kind.BT, 0, "Ev,Ib", 0),
            d("bts", Kind.BT, 1, "Ev,Ib", LOCKABLE), d("btr", Kind.BT, 2, "Ev,Ib", LOCKABLE),
            d("btc", Kind.BT, 3, "Ev,Ib", LOCKABLE));
        op(0x1BB, "btc", Kind.BT, 3, "Ev,Gv", LOCKABLE);
        op(0x1BC, "bsf", Kind.BSF, 0, "Gv,Ev", 0);
        op(0x1BD, "bsr", Kind.BSR, 0, "Gv,Ev", 0);
        op(0x1BE, "movsx", Kind.MOVSX, 0, "Gv,Eb", 0);
        op(0x1BF, "movsx", Kind.MOVSX, 1, "Gv,Ew", 0);
        op(0x1C0, "xadd", Kind.XADD, 0, "Eb,Gb", LOCKABLE | BYTE);
        op(0x1C1, "xadd", Kind.XADD, 0, "Ev,Gv", LOCKABLE);
        group2(0x1C7, new OpDef[] {ud(), d("cmpxchg8b", Kind.CMPXCHG8B, 0, "Mq", LOCKABLE), ud(), ud(), ud(),
            ud(), ud(), ud()}, new OpDef[] {ud(), ud(), ud(), ud(), ud(), ud(), ud(), ud()});
        for (int i = 0; i < 8; i++) {
            op(0x1C8 + i, "bswap", Kind.BSWAP, 0, "Zv", 0);
        }
        op(0x1FF, "ud0", Kind.UD, 0, "Gv,Ev", 0);

        for (int i = 0; i < 512; i++) {
            if (MAP[i] == null) {
                MAP[i] = BAD;
            }
        }
    }
}

package org.erosim.cpu.decode;

import org.erosim.cpu.Reg;

/**
 * Decodes one IA-32 instruction from a {@link ByteSource} into a {@link Decoded}, driven by
 * {@link OpcodeTable}. Allocation-free; not thread-safe (one per CPU or per disassembler).
 *
 * <p>Faults raised by the source (a byte beyond the CS limit, an absent page) propagate to
 * the caller unchanged, at the moment the offending byte is needed, as on hardware.
 */
public final class Decoder {
    public static final int MAX_LENGTH = 15;

    private static final int[] MODRM16_BASE = {Reg.EBX, Reg.EBX, Reg.EBP, Reg.EBP, Reg.ESI, Reg.EDI, Reg.EBP, Reg.EBX};
    private static final int[] MODRM16_INDEX = {Reg.ESI, Reg.EDI, Reg.ESI, Reg.EDI, Reg.ZERO, Reg.ZERO, Reg.ZERO,
        Reg.ZERO};

    private ByteSource src;
    private int pos;
    private Decoded d;

    /**
     * Decodes at the source's offset 0.
     *
     * @return {@code d}; {@code d.error} tells whether decoding was cut short
     */
    public Decoded decode(ByteSource source, boolean code32, Decoded out) {
        this.src = source;
        this.d = out;
        this.pos = 0;
        out.reset();
        out.code32 = code32;
        boolean opsize = false;
        boolean addrsize = false;
        int b;
        prefixes:
        while (true) {
            b = next();
            if (b < 0) {
                return finish();
            }
            switch (b) {
                case 0x26: out.segOverride = Reg.ES; break;
                case 0x2E: out.segOverride = Reg.CS; break;
                case 0x36: out.segOverride = Reg.SS; break;
                case 0x3E: out.segOverride = Reg.DS; break;
                case 0x64: out.segOverride = Reg.FS; break;
                case 0x65: out.segOverride = Reg.GS; break;
                case 0x66: opsize = true; break;
                case 0x67: addrsize = true; break;
                case 0xF0: out.lock = true; break;
                case 0xF2:
                case 0xF3: out.rep = b; break;
                default: break prefixes;
            }
            out.prefixCount++;
        }
        out.o32 = code32 ^ opsize;
        out.a32 = code32 ^ addrsize;
        int opcode = b;
        if (b == 0x0F) {
            b = next();
            if (b < 0) {
                return finish();
            }
            opcode = 0x100 | b;
        }
        out.opcode = opcode;
        OpDef def = OpcodeTable.get(opcode);
        if (def.has(OpDef.MODRM)) {
            int m = next();
            if (m < 0) {
                out.def = def.isGroup() ? OpcodeTable.invalid() : def;
                return finish();
            }
            out.hasModrm = true;
            out.mod = m >>> 6;
            out.reg = (m >>> 3) & 7;
            out.rm = m & 7;
            if (def.isGroup()) {
                def = out.mod == 3 && def.groupReg != null ? def.groupReg[out.reg] : def.group[out.reg];
            }
            // MOV to/from CRn/DRn use the register form whatever mod says (386+ behaviour)
            boolean forceReg = def.kind == Kind.MOV_CR || def.kind == Kind.MOV_DR;
            if (out.mod != 3 && !forceReg) {
                if (!decodeAddress()) {
                    out.def = def;
                    return finish();
                }
            }
        }
        out.def = def;
        if (out.hasModrm && out.mod == 3) {
            for (int o : def.operands) {
                if (Operand.memOnly(o)) {
                    out.def = OpcodeTable.invalid();
                    break;
                }
            }
        }
        if (!out.mem) {
            out.seg = out.segOverride >= 0 ? out.segOverride : Reg.DS;
        }
        if (!decodeImmediates(def)) {
            return finish();
        }
        return finish();
    }

    private Decoded finish() {
        d.length = Math.min(pos, MAX_LENGTH + 1);
        if (d.def == null) {
            d.def = OpcodeTable.invalid();
        }
        if (pos > MAX_LENGTH && d.error == 0) {
            d.error = Decoded.ERR_TOO_LONG;
        }
        return d;
    }

    private int next() {
        if (pos >= MAX_LENGTH) {
            // the 16th byte is never fetched: #GP(0) at execution
            pos = MAX_LENGTH + 1;
            d.error = Decoded.ERR_TOO_LONG;
            return -1;
        }
        int b = src.fetch(pos);
        if (b < 0) {
            d.error = Decoded.ERR_TRUNCATED;
            return -1;
        }
        pos++;
        return b;
    }

    private int nextN(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int b = next();
            if (b < 0) {
                return Integer.MIN_VALUE; // caller checks d.error
            }
            v |= b << (8 * i);
        }
        return v;
    }

    private boolean decodeAddress() {
        Decoded o = d;
        o.mem = true;
        int defSeg = Reg.DS;
        if (!o.a32) {
            if (o.mod == 0 && o.rm == 6) {
                o.disp = nextN(2);
                o.dispSize = 2;
            } else {
                o.base = MODRM16_BASE[o.rm];
                o.index = MODRM16_INDEX[o.rm];
                if (o.base == Reg.EBP) {
                    defSeg = Reg.SS;
                }
                if (o.mod == 1) {
                    o.disp = (byte) nextN(1);
                    o.dispSize = 1;
                } else if (o.mod == 2) {
                    o.disp = (short) nextN(2);
                    o.dispSize = 2;
                }
            }
        } else {
            int rm = o.rm;
            if (rm == 4) {
                int sib = next();
                if (sib < 0) {
                    return false;
                }
                o.scale = sib >>> 6;
                int idx = (sib >>> 3) & 7;
                o.index = idx == 4 ? Reg.ZERO : idx;
                int b = sib & 7;
                if (b == 5 && o.mod == 0) {
                    o.base = Reg.ZERO;
                    o.disp = nextN(4);
                    o.dispSize = 4;
                } else {
                    o.base = b;
                    if (b == Reg.ESP || b == Reg.EBP) {
                        defSeg = Reg.SS;
                    }
                }
            } else if (rm == 5 && o.mod == 0) {
                o.disp = nextN(4);
                o.dispSize = 4;
            } else {
                o.base = rm;
                if (rm == Reg.EBP) {
                    defSeg = Reg.SS;
                }
            }
            if (o.mod == 1) {
                o.disp = (byte) nextN(1);
                o.dispSize = 1;
            } else if (o.mod == 2) {
                o.disp = nextN(4);
                o.dispSize = 4;
            }
        }
        o.seg = o.segOverride >= 0 ? o.segOverride : defSeg;
        return o.error == 0;
    }

    private boolean decodeImmediates(OpDef def) {
        Decoded o = d;
        for (int spec : def.operands) {
            int v;
            switch (spec) {
                case Operand.Ib:
                    v = nextN(1);
                    o.imm = v & 0xFF;
                    break;
                case Operand.Ib2:
                    v = nextN(1);
                    o.imm2 = v & 0xFF;
                    break;
                case Operand.Ibs:
                case Operand.Jb:
                    v = nextN(1);
                    o.imm = (byte) v;
                    break;
                case Operand.Iw:
                    v = nextN(2);
                    o.imm = v & 0xFFFF;
                    break;
                case Operand.Iv:
                    v = o.o32 ? nextN(4) : nextN(2) & 0xFFFF;
                    o.imm = v;
                    break;
                case Operand.Jv:
                    v = o.o32 ? nextN(4) : (short) nextN(2);
                    o.imm = v;
                    break;
                case Operand.Ap:
                    v = o.o32 ? nextN(4) : nextN(2) & 0xFFFF;
                    o.imm = v;
                    if (o.error != 0) {
                        return false;
                    }
                    o.imm2 = nextN(2) & 0xFFFF;
                    break;
                case Operand.Ob:
                case Operand.Ov:
                    o.mem = true;
                    o.disp = o.a32 ? nextN(4) : nextN(2) & 0xFFFF;
                    o.dispSize = o.a32 ? 4 : 2;
                    o.seg = o.segOverride >= 0 ? o.segOverride : Reg.DS;
                    break;
                default:
                    continue;
            }
            if (o.error != 0) {
                return false;
            }
        }
        return true;
    }
}

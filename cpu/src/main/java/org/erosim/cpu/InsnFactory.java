package org.erosim.cpu;

import org.erosim.cpu.decode.Decoded;
import org.erosim.cpu.decode.Kind;
import org.erosim.cpu.decode.OpDef;
import org.erosim.cpu.decode.Operand;

/**
 * Builds the executable {@link Insn} for a {@link Decoded} instruction: picks the family
 * class (and its 32-bit specialisation where one exists), normalises operands (e.g. the
 * destination of a register/register form always in {@code rm}), resolves relative
 * targets to absolute EIPs and charges the timing-table cost.
 */
final class InsnFactory {
    private InsnFactory() {
    }

    static Insn build(Decoded d, int eip, boolean code32, int csLimit, CycleTable t) {
        OpDef def = d.def;
        Insn i;
        String cost;
        if (d.error == Decoded.ERR_TOO_LONG) {
            i = new MiscOps.Ud();
            common(i, d, eip, code32);
            i.sub = 1;
            i.cycles = t.get("default");
            return i;
        }
        if (def.has(OpDef.INVALID) || def.kind == Kind.UD || d.error != 0
            || (d.lock && (!def.has(OpDef.LOCKABLE) || !d.mem))) {
            i = new MiscOps.Ud();
            common(i, d, eip, code32);
            i.sub = 0;
            i.cycles = t.get("default");
            return i;
        }
        i = create(d, def);
        common(i, d, eip, code32);
        if (i instanceof MiscOps.Ud) {
            i.sub = 0;
            i.cycles = t.get("default");
            return i;
        }
        configure(i, d, def);
        if (k(def) == Kind.JCC || k(def) == Kind.LOOP || k(def) == Kind.JCXZ
            || ((k(def) == Kind.JMP || k(def) == Kind.CALL) && def.sub == 0)) {
            i.targetInLimit = Integer.compareUnsigned(i.imm, csLimit) <= 0;
        }
        i.cycles = cost(i, d, def, t);
        return i;
    }

    private static int k(OpDef def) {
        return def.kind;
    }

    private static void common(Insn i, Decoded d, int eip, boolean code32) {
        i.eip = eip;
        i.length = d.length;
        i.next = code32 ? eip + d.length : (eip + d.length) & 0xFFFF;
        i.opcode = d.opcode;
        i.o32 = d.o32;
        i.a32 = d.a32;
        i.sz = d.def != null ? d.operandSize() : 2;
        i.mem = d.mem;
        i.rm = d.rm;
        i.reg = d.reg;
        i.base = d.base;
        i.index = d.index;
        i.scale = d.scale;
        i.disp = d.disp;
        i.amask = d.a32 ? -1 : 0xFFFF;
        i.seg = d.seg;
        i.imm = d.imm;
        i.imm2 = d.imm2;
        i.sub = d.def != null ? d.def.sub : 0;
        i.rep = d.def != null && d.def.has(OpDef.REP_OK) ? d.rep : 0;
    }

    private static int op(OpDef def, int n) {
        return n < def.operands.length ? def.operands[n] : Operand.NONE;
    }

    private static boolean isE(int o) {
        return o == Operand.Eb || o == Operand.Ew || o == Operand.Ed || o == Operand.Ev;
    }

    private static boolean isG(int o) {
        return o == Operand.Gb || o == Operand.Gw || o == Operand.Gd || o == Operand.Gv;
    }

    private static boolean isImm(int o) {
        return o == Operand.Ib || o == Operand.Iw || o == Operand.Iv || o == Operand.Ibs;
    }

    /** Chooses the implementation class. */
    private static Insn create(Decoded d, OpDef def) {
        int k = def.kind;
        int o0 = op(def, 0);
        int o1 = op(def, 1);
        boolean w32 = d.operandSize() == 2;
        boolean w8 = d.operandSize() == 0;
        if (k == Kind.ALU) {
            if (isE(o0) && isG(o1)) {
                return !d.mem ? (w32 ? Alu32Ops.create(def.sub, "RR") : w8 ? ByteOps.aluRR(def.sub) : new AluOps.RegReg())
                    : new AluOps.MemSrc();
            }
            if (isG(o0) && isE(o1)) {
                return !d.mem ? (w32 ? Alu32Ops.create(def.sub, "RR") : w8 ? ByteOps.aluRR(def.sub) : new AluOps.RegReg())
                    : (w32 ? Alu32Ops.create(def.sub, "RM") : w8 ? ByteOps.aluRM(def.sub) : new AluOps.RegMem());
            }
            if (o0 == Operand.AL || o0 == Operand.eAX || !d.mem) {
                return w32 ? Alu32Ops.create(def.sub, "RI") : w8 ? ByteOps.aluRI(def.sub) : new AluOps.RegImm();
            }
            return new AluOps.MemSrc();
        }
        if (k == Kind.TEST) {
            return new AluOps.Test();
        }
        if (k == Kind.INC || k == Kind.DEC) {
            if (o0 == Operand.Zv && w32) {
                return new AluOps.IncDecReg32();
            }
            return new AluOps.Unary();
        }
        if (k == Kind.NOT || k == Kind.NEG) {
            return new AluOps.Unary();
        }
        if (k == Kind.MUL || k == Kind.IMUL1) {
            return new MulDivOps.MulAcc();
        }
        if (k == Kind.IMUL2 || k == Kind.IMUL3) {
            return new MulDivOps.Imul();
        }
        if (k == Kind.DIV || k == Kind.IDIV) {
            return new MulDivOps.Div();
        }
        if (k == Kind.SHIFT) {
            Insn fast = w32 && !d.mem ? Shift32Ops.create(def.sub, o1 == Operand.CL) : null;
            return fast != null ? fast : new ShiftOps.Shift();
        }
        if (k == Kind.SHLD || k == Kind.SHRD) {
            return new ShiftOps.DoubleShift();
        }
        if (k == Kind.MOV) {
            if (isE(o0) && isG(o1)) {
                return !d.mem ? (w32 ? new MoveOps.RegReg32() : new MoveOps.RegReg())
                    : (w32 ? new MoveOps.Store32() : w8 ? new ByteOps.Store8() : new MoveOps.Store());
            }
            if (isG(o0) && isE(o1)) {
                return !d.mem ? (w32 ? new MoveOps.RegReg32() : new MoveOps.RegReg())
                    : (w32 ? new MoveOps.Load32() : w8 ? new ByteOps.Load8() : new MoveOps.Load());
            }
            if (o1 == Operand.Ob || o1 == Operand.Ov) {
                return w32 ? new MoveOps.Load32() : new MoveOps.Load();
            }
            if (o0 == Operand.Ob || o0 == Operand.Ov) {
                return w32 ? new MoveOps.Store32() : new MoveOps.Store();
            }
            if (o0 == Operand.Zb || o0 == Operand.Zv || !d.mem) {
                return w32 ? new MoveOps.RegImm32() : new MoveOps.RegImm();
            }
            return w32 ? new ByteOps.StoreImm32() : w8 ? new ByteOps.StoreImm8() : new MoveOps.MemImm();
        }
        if (k == Kind.MOVZX || k == Kind.MOVSX) {
            return w32 ? ByteOps.extend(k == Kind.MOVSX, def.sub, d.mem) : new MoveOps.Extend();
        }
        if (k == Kind.LEA) {
            return new MoveOps.Lea();
        }
        if (k == Kind.XCHG) {
            return new MoveOps.Xchg();
        }
        if (k == Kind.MOV_FROM_SREG) {
            return d.reg > Reg.GS ? new MiscOps.Ud() : new MoveOps.FromSreg();
        }
        if (k == Kind.MOV_TO_SREG) {
            return d.reg > Reg.GS || d.reg == Reg.CS ? new MiscOps.Ud() : new MoveOps.ToSreg();
        }
        if (k == Kind.MOV_CR) {
            return new SystemOps.MovCr();
        }
        if (k == Kind.MOV_DR) {
            return new SystemOps.MovDr();
        }
        if (k == Kind.PUSH) {
            if (o0 == Operand.Zv) {
                return new StackOps.PushReg();
            }
            return isImm(o0) ? new StackOps.PushImm() : new StackOps.PushMem();
        }
        if (k == Kind.POP) {
            return o0 == Operand.Zv || !d.mem ? new StackOps.PopReg() : new StackOps.PopMem();
        }
        if (k == Kind.PUSH_SREG) {
            return new StackOps.PushSreg();
        }
        if (k == Kind.POP_SREG) {
            return new StackOps.PopSreg();
        }
        if (k == Kind.PUSHA) {
            return new StackOps.Pusha();
        }
        if (k == Kind.POPA) {
            return new StackOps.Popa();
        }
        if (k == Kind.PUSHF) {
            return new StackOps.Pushf();
        }
        if (k == Kind.POPF) {
            return new StackOps.Popf();
        }
        if (k == Kind.ENTER) {
            return new StackOps.Enter();
        }
        if (k == Kind.LEAVE) {
            return new StackOps.Leave();
        }
        if (k == Kind.JCC) {
            return BranchOps.jcc(def.sub);
        }
        if (k == Kind.JMP) {
            return def.sub == 0 ? new BranchOps.Jmp() : new BranchOps.JmpIndirect();
        }
        if (k == Kind.CALL) {
            return def.sub == 0 ? new BranchOps.Call() : new BranchOps.CallIndirect();
        }
        if (k == Kind.JMP_FAR) {
            return new BranchOps.JmpFar();
        }
        if (k == Kind.CALL_FAR) {
            return new BranchOps.CallFar();
        }
        if (k == Kind.RET) {
            return new BranchOps.Ret();
        }
        if (k == Kind.RETF) {
            return new BranchOps.RetFar();
        }
        if (k == Kind.IRET) {
            return new BranchOps.Iret();
        }
        if (k == Kind.INT || k == Kind.INT3 || k == Kind.INTO || k == Kind.INT1) {
            return new BranchOps.Int();
        }
        if (k == Kind.LOOP) {
            return new BranchOps.Loop();
        }
        if (k == Kind.JCXZ) {
            return new BranchOps.Jcxz();
        }
        if (k == Kind.CBW || k == Kind.CWD) {
            return new MoveOps.Convert();
        }
        if (k == Kind.FLAGOP) {
            return new MiscOps.FlagOp();
        }
        if (k == Kind.SAHF || k == Kind.LAHF || k == Kind.SALC) {
            return new MoveOps.FlagsByte();
        }
        if (k == Kind.XLAT) {
            return new MoveOps.Xlat();
        }
        if (k == Kind.HLT) {
            return new MiscOps.Hlt();
        }
        if (k == Kind.NOP) {
            return new MiscOps.Nop();
        }
        if (k == Kind.WAIT) {
            return new MiscOps.Wait();
        }
        if (k == Kind.ESC) {
            return new MiscOps.Esc();
        }
        if (k == Kind.STRING) {
            return new StringOps.Str();
        }
        if (k == Kind.IN) {
            return new MiscOps.In();
        }
        if (k == Kind.OUT) {
            return new MiscOps.Out();
        }
        if (k == Kind.BCD) {
            return new BcdOps.Bcd();
        }
        if (k == Kind.BOUND) {
            return new MiscOps.Bound();
        }
        if (k == Kind.ARPL) {
            return new SystemOps.Arpl();
        }
        if (k == Kind.LOAD_FAR) {
            return new MoveOps.LoadFar();
        }
        if (k == Kind.SETCC) {
            return new MoveOps.SetCc();
        }
        if (k == Kind.CMOVCC) {
            return new MoveOps.CmovCc();
        }
        if (k == Kind.BT) {
            return new BitOps.Bt();
        }
        if (k == Kind.BSF || k == Kind.BSR) {
            return new BitOps.Scan();
        }
        if (k == Kind.BSWAP) {
            return new MoveOps.Bswap();
        }
        if (k == Kind.XADD) {
            return new MiscOps.Xadd();
        }
        if (k == Kind.CMPXCHG) {
            return new MiscOps.Cmpxchg();
        }
        if (k == Kind.CMPXCHG8B) {
            return new MiscOps.Cmpxchg8b();
        }
        if (k == Kind.CPUID) {
            return new MiscOps.Cpuid();
        }
        if (k == Kind.RDTSC) {
            return new MiscOps.Rdtsc();
        }
        if (k == Kind.RDMSR || k == Kind.WRMSR || k == Kind.RDPMC) {
            return new MiscOps.Msr();
        }
        if (k == Kind.SYS) {
            return new SystemOps.Sys();
        }
        return new MiscOps.Ud();
    }

    /** Normalises operand fields for the chosen class. */
    private static void configure(Insn i, Decoded d, OpDef def) {
        int k = def.kind;
        int o0 = op(def, 0);
        int o1 = op(def, 1);
        int o2 = op(def, 2);
        int mask = i.o32 ? -1 : 0xFFFF;
        if (k == Kind.ALU || k == Kind.MOV || k == Kind.TEST) {
            if (isG(o0) && isE(o1) && !d.mem) {
                i.rm = d.reg; // destination
                i.reg = d.rm; // source
            } else if (o0 == Operand.AL || o0 == Operand.eAX) {
                i.mem = o1 == Operand.Ob || o1 == Operand.Ov;
                i.rm = 0;
                i.reg = i.mem ? 0 : -1;
            } else if (o0 == Operand.Ob || o0 == Operand.Ov) {
                i.reg = 0;
            } else if (o0 == Operand.Zb || o0 == Operand.Zv) {
                i.rm = d.opcode & 7;
                i.mem = false;
            } else if (isE(o0) && isImm(o1)) {
                i.reg = -1;
            }
            if (k == Kind.TEST && isG(o1)) {
                i.reg = d.reg;
            }
            if (o1 == Operand.Ibs) {
                i.imm = d.imm & i.szMask();
            }
        } else if (k == Kind.INC || k == Kind.DEC || k == Kind.NOT || k == Kind.NEG) {
            i.sub = k == Kind.INC ? 0 : k == Kind.DEC ? 1 : k == Kind.NOT ? 2 : 3;
            if (o0 == Operand.Zv) {
                i.rm = d.opcode & 7;
                i.mem = false;
                i.imm = k == Kind.INC ? 1 : -1;
            }
        } else if (k == Kind.MUL || k == Kind.IMUL1) {
            i.sub = k == Kind.MUL ? 0 : 1;
        } else if (k == Kind.IMUL2) {
            i.imm2 = 0;
        } else if (k == Kind.IMUL3) {
            i.imm2 = 1;
        } else if (k == Kind.DIV || k == Kind.IDIV) {
            i.sub = k == Kind.DIV ? 0 : 1;
        } else if (k == Kind.SHIFT) {
            i.imm2 = o1 == Operand.CL ? 1 : 0;
            i.imm = o1 == Operand.ONE ? 1 : d.imm;
        } else if (k == Kind.SHLD || k == Kind.SHRD) {
            i.sub = k == Kind.SHLD ? 0 : 1;
            i.imm2 = o2 == Operand.CL ? 1 : 0;
        } else if (k == Kind.MOVZX || k == Kind.MOVSX) {
            i.imm = k == Kind.MOVSX ? 1 : 0;
        } else if (k == Kind.XCHG) {
            if (o0 == Operand.Zv) {
                i.rm = d.opcode & 7;
                i.reg = 0;
                i.mem = false;
            }
        } else if (k == Kind.PUSH || k == Kind.POP) {
            if (o0 == Operand.Zv) {
                i.rm = d.opcode & 7;
                i.mem = false;
            }
            if (o0 == Operand.Ibs) {
                i.imm = d.imm & mask;
            }
            i.sz = i.o32 ? 2 : 1;
        } else if (k == Kind.JCC || k == Kind.LOOP || k == Kind.JCXZ
            || ((k == Kind.JMP || k == Kind.CALL) && def.sub == 0)) {
            i.imm = (i.next + d.imm) & mask;
            i.imm2 = 0;
        } else if (k == Kind.INT || k == Kind.INT3 || k == Kind.INTO || k == Kind.INT1) {
            i.sub = k == Kind.INT ? 0 : k == Kind.INT3 ? 1 : k == Kind.INTO ? 2 : 3;
        } else if (k == Kind.CBW || k == Kind.CWD) {
            i.sub = k == Kind.CBW ? 0 : 1;
        } else if (k == Kind.SAHF || k == Kind.LAHF || k == Kind.SALC) {
            i.sub = k == Kind.LAHF ? 0 : k == Kind.SAHF ? 1 : 2;
        } else if (k == Kind.IN || k == Kind.OUT) {
            i.imm2 = (o0 == Operand.DX || o1 == Operand.DX) ? 1 : 0;
        } else if (k == Kind.BT) {
            i.imm2 = isImm(o1) ? 1 : 0;
        } else if (k == Kind.BSF || k == Kind.BSR) {
            i.sub = k == Kind.BSF ? 0 : 1;
        } else if (k == Kind.BSWAP) {
            i.rm = d.opcode & 7;
            i.mem = false;
        } else if (k == Kind.RDMSR || k == Kind.WRMSR || k == Kind.RDPMC) {
            i.sub = k == Kind.RDMSR ? 0 : k == Kind.WRMSR ? 1 : 2;
        } else if (k == Kind.MOV_CR || k == Kind.MOV_DR) {
            i.mem = false;
        }
    }

    /** Cycles charged on completion (dynamic parts are added by the instruction). */
    private static int cost(Insn i, Decoded d, OpDef def, CycleTable t) {
        int k = def.kind;
        int sz = i.sz;
        boolean m = i.mem;
        int o1 = op(def, 1);
        if (k == Kind.ALU) {
            if (!m) {
                return isImm(o1) ? t.get("alu.ri") : t.get("alu.rr");
            }
            return isE(def.operands[0]) ? t.get("alu.mr") : t.get("alu.rm");
        }
        if (k == Kind.TEST) {
            return m ? t.get("test.m") : t.get("test.r");
        }
        if (k == Kind.INC || k == Kind.DEC || k == Kind.NOT || k == Kind.NEG) {
            return m ? t.get("incdec.m") : t.get("incdec.r");
        }
        if (k == Kind.MOV) {
            if (!m) {
                return isImm(o1) ? t.get("mov.ri") : t.get("mov.rr");
            }
            return i instanceof MoveOps.Load || i instanceof MoveOps.Load32 || i instanceof ByteOps.Load8
                ? t.get("mov.load") : t.get("mov.store");
        }
        if (k == Kind.MUL || k == Kind.IMUL1 || k == Kind.IMUL2 || k == Kind.IMUL3) {
            return sz == 0 ? t.get("mul8") : sz == 1 ? t.get("mul16") : t.get("mul32");
        }
        if (k == Kind.DIV) {
            return sz == 0 ? t.get("div8") : sz == 1 ? t.get("div16") : t.get("div32");
        }
        if (k == Kind.IDIV) {
            return sz == 0 ? t.get("idiv8") : sz == 1 ? t.get("idiv16") : t.get("idiv32");
        }
        if (k == Kind.SHIFT) {
            boolean rc = def.sub == 2 || def.sub == 3;
            return rc ? (m ? t.get("rotc.m") : t.get("rotc.r")) : (m ? t.get("shift.m") : t.get("shift.r"));
        }
        if (k == Kind.SHLD || k == Kind.SHRD) {
            return m ? t.get("shld.m") : t.get("shld.r");
        }
        if (k == Kind.MOVZX || k == Kind.MOVSX) {
            return t.get("movx");
        }
        if (k == Kind.LEA) {
            return t.get("lea");
        }
        if (k == Kind.XCHG) {
            return m ? t.get("xchg.m") : t.get("xchg.r");
        }
        if (k == Kind.JCC) {
            i.imm2 = t.get("jcc.taken_extra");
            return t.get("jcc.not_taken");
        }
        if (k == Kind.JMP) {
            return def.sub == 0 ? t.get("jmp") : t.get("jmp.indirect");
        }
        if (k == Kind.CALL) {
            return def.sub == 0 ? t.get("call") : t.get("call.indirect");
        }
        if (k == Kind.RET) {
            return t.get("ret");
        }
        if (k == Kind.LOOP) {
            return t.get("loop");
        }
        if (k == Kind.JCXZ) {
            return t.get("jcxz");
        }
        if (k == Kind.JMP_FAR) {
            return t.get("far.jmp.prot");
        }
        if (k == Kind.CALL_FAR) {
            return t.get("far.call.prot");
        }
        if (k == Kind.RETF) {
            return t.get("far.ret.prot");
        }
        if (k == Kind.INT || k == Kind.INT3 || k == Kind.INTO || k == Kind.INT1) {
            return t.softwareInterrupt;
        }
        if (k == Kind.IRET) {
            return t.get("iret.prot");
        }
        if (k == Kind.PUSH) {
            return m ? t.get("push.m") : t.get("push");
        }
        if (k == Kind.POP) {
            return m ? t.get("pop.m") : t.get("pop");
        }
        if (k == Kind.PUSH_SREG) {
            return t.get("push.sreg");
        }
        if (k == Kind.POP_SREG || k == Kind.MOV_TO_SREG || k == Kind.LOAD_FAR) {
            return t.get("pop.sreg");
        }
        if (k == Kind.PUSHA) {
            return t.get("pusha");
        }
        if (k == Kind.POPA) {
            return t.get("popa");
        }
        if (k == Kind.PUSHF) {
            return t.get("pushf");
        }
        if (k == Kind.POPF) {
            return t.get("popf");
        }
        if (k == Kind.ENTER) {
            return t.get("enter");
        }
        if (k == Kind.LEAVE) {
            return t.get("leave");
        }
        if (k == Kind.STRING) {
            i.imm2 = t.get("string.rep.iter");
            if (def.sub >= StringOps.INS) {
                return t.get("string.io");
            }
            return i.rep != 0 ? t.get("string.rep.base") : t.get("string.once");
        }
        if (k == Kind.IN || k == Kind.OUT) {
            return t.get("io");
        }
        if (k == Kind.BCD) {
            return def.sub == 4 ? t.get("aam") : def.sub == 5 ? t.get("aad") : t.get("bcd");
        }
        if (k == Kind.BT) {
            return m ? t.get("bt.m") : t.get("bt.r");
        }
        if (k == Kind.BSF || k == Kind.BSR) {
            return t.get("bsf");
        }
        if (k == Kind.BSWAP) {
            return t.get("bswap");
        }
        if (k == Kind.SETCC) {
            return t.get("setcc");
        }
        if (k == Kind.CMOVCC) {
            return t.get("cmovcc");
        }
        if (k == Kind.CMPXCHG) {
            return t.get("cmpxchg");
        }
        if (k == Kind.CMPXCHG8B) {
            return t.get("cmpxchg8b");
        }
        if (k == Kind.XADD) {
            return t.get("xadd");
        }
        if (k == Kind.CPUID) {
            return t.get("cpuid");
        }
        if (k == Kind.RDTSC) {
            return t.get("rdtsc");
        }
        if (k == Kind.RDMSR || k == Kind.WRMSR || k == Kind.RDPMC) {
            return t.get("msr");
        }
        if (k == Kind.SYS) {
            return def.sub == SystemOps.LTR || def.sub == SystemOps.LLDT ? t.get("sys.ltr")
                : def.sub == SystemOps.LGDT || def.sub == SystemOps.LIDT ? t.get("sys.load") : t.get("sys.store");
        }
        if (k == Kind.MOV_CR || k == Kind.MOV_DR) {
            return t.get("mov.cr");
        }
        if (k == Kind.FLAGOP) {
            return def.sub == 3 || def.sub == 4 ? t.get("cli_sti") : t.get("flagop");
        }
        if (k == Kind.HLT) {
            return t.get("hlt");
        }
        if (k == Kind.NOP) {
            return t.get("nop");
        }
        if (k == Kind.ESC || k == Kind.WAIT) {
            return t.get("esc");
        }
        return t.get("default");
    }
}

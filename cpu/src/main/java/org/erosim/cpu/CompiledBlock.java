package org.erosim.cpu;

/**
 * A hot {@link Block} translated to JVM bytecode by {@link BlockCompiler}: the same
 * instruction objects, but each called through a call site that knows its exact class,
 * so HotSpot inlines the instruction bodies into one method per block.
 */
public abstract class CompiledBlock {
    /**
     * Executes the whole block with the interpreter's per-instruction protocol (EIP set to
     * the next instruction, then the instruction, then its cycles; stop after one that
     * sets the exit flag).
     *
     * @return the number of instructions completed. On a fault, the index of the faulting
     *     instruction is left in {@code Cpu.faultIndex} and the fault propagates.
     */
    public abstract int run(Cpu c);
}

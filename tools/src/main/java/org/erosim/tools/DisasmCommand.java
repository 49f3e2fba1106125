package org.erosim.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code erosim disasm}: placeholder until the disassembler lands (same decoder tables). */
@Command(name = "disasm", mixinStandardHelpOptions = true, description = "Disassemble an ELF or flat binary.")
final class DisasmCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UsageException("disasm is not available yet");
    }
}

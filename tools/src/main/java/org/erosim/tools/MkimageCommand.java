package org.erosim.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.erosim.kernel.image.ImageException;
import org.erosim.tools.image.DescriptionException;
import org.erosim.tools.image.ImageCompiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code erosim mkimage}: builds a capability system image from a {@code .erosys} description. */
@Command(name = "mkimage", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build a capability system image (a store file) from a system description and the guest ELF",
        "programs it names. The language is described in docs/image-language.md. Prints one summary line.",
        "Exit status: 0 built; 2 bad input (one line 'file:line:col: message' on stderr)."})
final class MkimageCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SYSTEM.erosys", description = "The system description.")
    Path description;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "SYSTEM.img",
        description = "The image file to write (replaced if it exists).")
    Path output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(description)) {
            throw new UsageException(description + ": no such file");
        }
        if (output.toAbsolutePath().normalize().equals(description.toAbsolutePath().normalize())) {
            throw new UsageException(output + ": the image would overwrite the description");
        }
        ImageCompiler.Result r;
        try {
            r = ImageCompiler.compile(description);
        } catch (DescriptionException e) {
            // the message is already "file:line:col: what is wrong", the form editors jump to
            err.println(e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (Files.isDirectory(output)) {
            throw new UsageException(output + ": is a directory");
        }
        long size;
        try {
            r.builder().write(output);
            size = Files.size(output);
        } catch (ImageException e) {
            throw new UsageException("cannot write the image: " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException(output + ": cannot read back the image size: " + e.getMessage());
        }
        out.printf("%s: %d objects, %d processes (%d run at boot), %d programs, %d bytes%n", output,
            r.builder().objectCount(), r.processes(), r.running(), r.programs(), size);
        return Main.EXIT_OK;
    }
}

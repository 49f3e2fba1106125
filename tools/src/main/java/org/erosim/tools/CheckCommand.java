package org.erosim.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.erosim.kernel.store.StoreChecker;
import org.erosim.kernel.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code erosim check}: runs the store consistency checker on an image or checkpoint. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the consistency checker on a system image or checkpoint (a store file): prints every",
        "inconsistency found, one per line, then a summary line.",
        "Exit status: 0 consistent; 1 inconsistencies found; 2 the file is unreadable or not a store (one line)."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SYSTEM.img", description = "The image or checkpoint file.")
    Path image;

    @Option(names = "--max-listed", paramLabel = "N", defaultValue = "" + StoreChecker.DEFAULT_MAX_LISTED,
        description = "Print at most N findings (default ${DEFAULT-VALUE}); the summary counts them all.")
    int maxListed;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (maxListed < 0) {
            throw new UsageException("--max-listed must not be negative, got " + maxListed);
        }
        if (!Files.exists(image)) {
            throw new UsageException(image + ": no such file");
        }
        if (Files.isDirectory(image)) {
            throw new UsageException(image + ": is a directory");
        }
        StoreChecker.Report report;
        try {
            report = StoreChecker.check(image, maxListed);
        } catch (StoreException e) {
            // a header that cannot be trusted, or an I/O failure: nothing was checked
            throw new UsageException(e.getMessage());
        }
        for (String finding : report.findings()) {
            out.println(finding);
        }
        long unlisted = report.findingCount() - report.findings().size();
        if (unlisted > 0) {
            out.println("... and " + unlisted + " more");
        }
        out.println(image + ": " + report.summary());
        return report.consistent() ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }
}

package org.erosim.tools.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.store.StoreException;
import org.erosim.kernel.store.StoreFile;

/**
 * One run of a system image, as {@code erosim run} does it (RunCommand and the tests share
 * this class). The image itself is never modified: it is checked (its header and directory
 * are opened read-only first, so a bad file is reported under its own name), then copied
 * to a scratch file that the run's object cache may write back to (evictions of dirty
 * objects, checkpoints); the scratch file is deleted on {@link #close}. With
 * {@link #keepCheckpointsIn} every checkpoint (CHECKPOINT TAKE or {@code --checkpoint-every})
 * is also copied to a file the user names, atomically (a temporary file beside it, then a
 * rename), so that file is always the last complete checkpoint: an image that
 * {@code erosim check} and {@code erosim run} take.
 */
public final class ImageRun implements AutoCloseable {
    private final Path image;
    private final Path scratch;
    private final StoreFile store;
    private final KernelMachine machine;
    private RunEnd end;

    /**
     * Opens {@code image} and assembles the machine; console output goes to {@code console}.
     *
     * @throws RunInputException with one line naming the image when it is not a usable store
     */
    public ImageRun(Path image, RunOptions options, OutputStream console) throws RunInputException {
        this.image = image;
        if (!Files.exists(image)) {
            throw new RunInputException(image + ": no such file");
        }
        if (Files.isDirectory(image)) {
            throw new RunInputException(image + ": is a directory");
        }
        try (StoreFile check = StoreFile.openReadOnly(image)) {
            if (check.nodeCount() == 0) {
                throw new RunInputException(image + ": the image holds no nodes, so no process can run");
            }
        } catch (StoreException e) {
            throw new RunInputException(e.getMessage());
        }
        Path copy = null;
        StoreFile opened = null;
        KernelMachine built = null;
        try {
            copy = Files.createTempFile("erosim-run-", ".img");
            Files.copy(image, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            opened = StoreFile.open(copy);
            built = new KernelMachine(opened, options, console);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new RunInputException(image + ": cannot make the run's scratch copy: " + e.getMessage());
        } catch (StoreException e) {
            deleteQuietly(copy);
            throw new RunInputException(e.getMessage().replace(String.valueOf(copy), image.toString()));
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            deleteQuietly(copy);
            throw e;
        }
        this.scratch = copy;
        this.store = opened;
        this.machine = built;
    }

    /**
     * Copies the run's store to {@code file} after every checkpoint. A copy that fails ends
     * the run with a {@link RunInputException} naming {@code file}.
     */
    public void keepCheckpointsIn(Path file) {
        machine.setCheckpointListener(() -> {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try {
                Files.copy(scratch, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new java.io.UncheckedIOException(file + ": cannot write the checkpoint: " + e.getMessage(), e);
            }
        });
    }

    /** Starts the processes stored RUNNING and runs to the end; returns how it ended. */
    public RunEnd run() throws RunInputException {
        try {
            machine.boot(store);
            end = machine.run();
            return end;
        } catch (java.io.UncheckedIOException e) {
            throw new RunInputException(e.getMessage());
        } catch (StoreException e) {
            // A record the header promised but that cannot be read: the image is corrupt.
            throw new RunInputException(e.getMessage().replace(String.valueOf(scratch), image.toString()));
        }
    }

    /** Boots and runs for at most {@code cycles} emulated cycles (tests continue with {@link KernelMachine#run(long)}). */
    public RunEnd runFor(long cycles) throws RunInputException {
        try {
            machine.boot(store);
            end = machine.run(machine.cpu.cycles + cycles);
            return end;
        } catch (StoreException e) {
            throw new RunInputException(e.getMessage().replace(String.valueOf(scratch), image.toString()));
        }
    }

    public KernelMachine machine() {
        return machine;
    }

    /** The store the run uses: the scratch copy of the image (CHECKPOINT TAKE writes here). */
    public Path storePath() {
        return scratch;
    }

    /** The process exit status of the finished run (docs/run.md). */
    public int exitStatus() {
        return machine.exitStatus(end);
    }

    @Override
    public void close() {
        machine.close();
        store.close();
        deleteQuietly(scratch);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a scratch file left in the temp directory is harmless
        }
    }

    /** A bad image: one line naming the file. */
    public static final class RunInputException extends Exception {
        private static final long serialVersionUID = 1L;

        public RunInputException(String message) {
            super(message);
        }
    }
}

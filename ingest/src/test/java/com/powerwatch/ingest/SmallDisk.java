package com.powerwatch.ingest;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real small file system (tmpfs of a few MiB, mounted for the test) that a test can fill up and free again: the
 * journal then meets a genuine "No space left on device". Needs the right to mount (root, as in CI); elsewhere the
 * test is skipped, saying why. Shared with the platform's tests (ingest's test-jar).
 */
public final class SmallDisk implements AutoCloseable {
    public final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    public static SmallDisk mount(Path dir, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a small tmpfs here (needs root): " + out.trim());
        return new SmallDisk(dir);
    }

    /** Fills the file system until only about {@code leave} bytes are free. */
    public void fillLeaving(long leave) throws IOException {
        long usable = Files.getFileStore(root).getUsableSpace();
        long size = Math.max(0, usable - leave) + (filler.toFile().exists() ? Files.size(filler) : 0);
        try (RandomAccessFile f = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[4096];
            f.seek(f.length());
            while (f.length() < size) {
                try {
                    f.write(block, 0, (int) Math.min(block.length, size - f.length()));
                } catch (IOException full) {
                    return; // already full
                }
            }
        }
    }

    /** Fills the file system completely. */
    public void fill() throws IOException {
        fillLeaving(0);
    }

    /** Frees what {@link #fill} took. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    /** Unmounts; lazily if a file on it is still open (it goes when the last one closes, at the latest at exit). */
    @Override
    public void close() throws IOException, InterruptedException {
        if (new ProcessBuilder("umount", root.toString()).redirectErrorStream(true).start().waitFor() != 0) {
            new ProcessBuilder("umount", "-l", root.toString()).redirectErrorStream(true).start().waitFor();
        }
    }
}

package com.powerwatch.ingest.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists each consumer's next position in {@code consumers/{name}.offset}: magic "PWO1" (int) | next position
 * (long) | CRC32C of the first 12 bytes (int). Each commit writes a temp file, forces it, renames it over the old
 * one atomically and forces the directory, so a crash leaves either the old or the new offset, never a mix.
 */
final class ConsumerOffsets {
    private static final Logger log = LoggerFactory.getLogger(ConsumerOffsets.class);
    private static final int MAGIC = 0x50574F31; // "PWO1"
    private static final int FILE_BYTES = 16;
    private static final String SUFFIX = ".offset";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Path dir;
    private final boolean fsync;

    ConsumerOffsets(Path dir, boolean fsync) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.fsync = fsync;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException(
                    "consumer name must be 1-100 of [A-Za-z0-9._-], not starting with '.': " + name);
        }
    }

    /** All persisted offsets; a damaged file is reported and ignored (that consumer starts afresh: a replay). */
    Map<String, Long> loadAll() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String fileName = f.getFileName().toString();
                if (fileName.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a commit interrupted before its rename
                    continue;
                }
                if (!fileName.endsWith(SUFFIX)) {
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                byte[] bytes = Files.readAllBytes(f);
                ByteBuffer b = ByteBuffer.wrap(bytes);
                CRC32C crc = new CRC32C();
                crc.update(bytes, 0, Math.min(12, bytes.length));
                if (bytes.length != FILE_BYTES || b.getInt(0) != MAGIC || b.getInt(12) != (int) crc.getValue()) {
                    log.error("Consumer offset file {} is damaged; consumer '{}' will start afresh", f, name);
                    continue;
                }
                out.put(name, b.getLong(4));
            }
        }
        return out;
    }

    void store(String name, long nextPosition) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FILE_BYTES);
        b.putInt(MAGIC).putLong(nextPosition);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 12);
        b.putInt((int) crc.getValue()).flip();
        Path tmp = dir.resolve(name + SUFFIX + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        Files.move(tmp, dir.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            forceDirectory(dir);
        }
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name + SUFFIX));
        if (fsync) {
            forceDirectory(dir);
        }
    }

    /** Makes file creations, renames and deletions in {@code dir} durable (supported on Linux). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

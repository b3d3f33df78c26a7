package io.blueorigin.cdn.proxy.site;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last site table a node applied, kept beside its cache ({@code <store.disk.path>/node/sites.json}) so that a node
 * restarted while admin is down serves the sites it served. Written whole to a temporary file, forced to disk,
 * then renamed over the old one (atomic on POSIX file systems): a crash leaves the old table or the new, never
 * half of one. Format: {@code {"version": V, "sites": [definition, ...]}} ({@link Site#toMap}).
 */
public final class SiteTableFile {
    private static final Logger LOG = LoggerFactory.getLogger(SiteTableFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = "sites.json";

    private final Path path;

    /** The table kept in {@code directory} (created when first written). */
    public SiteTableFile(Path directory) {
        this.path = requireNonNull(directory, "directory is null").resolve(NAME);
    }

    /** The node state directory the table is kept in (the signing keys are kept there too, {@link SiteKeyrings}). */
    public Path directory() {
        return path.getParent();
    }

    /** The table kept, or null when there is none or it cannot be read (logged; admin's table replaces it). */
    public @Nullable SiteTable load() {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(path.toFile());
            List<Site> sites = new ArrayList<>();
            for (JsonNode site : root.path("sites")) {
                sites.add(Site.fromMap(JSON.convertValue(site, Object.class)));
            }
            return SiteTable.of(root.path("version").asLong(0), sites);
        } catch (IOException | SiteException e) {
            LOG.warn("ignoring the site table kept in {}: {}; the node serves its configured sites until admin answers",
                    path, e.getMessage());
            return null;
        }
    }

    /** Replaces the kept table with {@code table}. */
    public void save(SiteTable table) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", table.version());
        root.put("sites", table.sites().stream().map(Site::toMap).toList());
        Path temp = path.resolveSibling(NAME + ".tmp");
        try {
            Files.createDirectories(path.getParent());
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the node serves the new table; only a restart while admin is down would miss it
            LOG.warn("could not keep the site table in {} ({}); a restart while admin is down would serve the older one",
                    path, e.getMessage());
        }
    }
}

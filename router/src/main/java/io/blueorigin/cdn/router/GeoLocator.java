package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Location;
import io.blueorigin.cdn.runtime.IpLiterals;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client address → coordinates, from a MaxMind GeoIP2 (or GeoLite2) City database.
 *
 * <p>{@link #locate(String)} takes the address as text and parses it strictly as an IP literal
 * ({@link IpLiterals}); it never resolves host names. It is empty, never throwing, for malformed text,
 * for non-public addresses ({@link NonPublicRanges}: private, loopback, link-local, unique-local,
 * multicast, ...), for addresses the database does not know, and for records without a location (some
 * networks are known only to a country, or not even that). An I/O error inside the database is counted
 * ({@link #lookupErrors()}) and also yields empty: routing then uses the default POP instead of failing.
 *
 * <p>Thread-safe: {@link DatabaseReader} is (memory-mapped, with a concurrent cache of decoded records);
 * this class adds only a {@link LongAdder}. Close it when done; lookups after close are errors (empty).
 */
public final class GeoLocator implements Closeable {
    /** The configuration key naming the database file, quoted in every error about it. */
    public static final String CONFIG_KEY = "routing.geoip-db";

    private final Path database;
    private final DatabaseReader reader;
    private final LongAdder lookupErrors = new LongAdder();

    private GeoLocator(Path database, DatabaseReader reader) {
        this.database = database;
        this.reader = reader;
    }

    /**
     * Opens a City database.
     *
     * @throws IllegalArgumentException when the file is missing, unreadable, not a MaxMind DB, or a MaxMind
     *     DB of another kind (Country, ASN, ...); the message names {@value #CONFIG_KEY} and the path
     */
    public static GeoLocator open(Path database) {
        requireNonNull(database, "database is null");
        if (!Files.isRegularFile(database) || !Files.isReadable(database)) {
            throw invalid(database, "no such readable file");
        }
        DatabaseReader reader;
        try {
            reader = new DatabaseReader.Builder(database.toFile()).withCache(new CHMCache()).build();
        } catch (IOException | RuntimeException e) {
            throw invalid(database, "not a MaxMind DB file (" + e.getMessage() + ")");
        }
        String type = reader.getMetadata().getDatabaseType();
        if (!type.contains("City") && !type.contains("Enterprise")) {
            closeQuietly(reader);
            throw invalid(database, "a " + type + " database");
        }
        return new GeoLocator(database, reader);
    }

    /** Where the client at {@code address} (an IPv4 or IPv6 literal) is, if known; see the class comment. */
    public Optional<Coordinates> locate(String address) {
        requireNonNull(address, "address is null");
        return IpLiterals.parse(address).flatMap(this::locate);
    }

    /** Where the client at {@code address} is, if known (for callers holding a parsed address: socket, EDNS). */
    public Optional<Coordinates> locate(InetAddress address) {
        requireNonNull(address, "address is null");
        if (NonPublicRanges.contains(address)) {
            return Optional.empty();
        }
        Optional<CityResponse> city;
        try {
            city = reader.tryCity(address);
        } catch (IOException | GeoIp2Exception e) {
            lookupErrors.increment();
            return Optional.empty();
        }
        return city.map(CityResponse::getLocation).flatMap(GeoLocator::coordinates);
    }

    private static Optional<Coordinates> coordinates(Location location) {
        Double latitude = location.getLatitude();
        Double longitude = location.getLongitude();
        if (latitude == null || longitude == null || !Coordinates.valid(latitude, longitude)) {
            return Optional.empty();
        }
        return Optional.of(new Coordinates(latitude, longitude));
    }

    /** Lookups that failed inside the database since it was opened (a metric for the router role). */
    public long lookupErrors() {
        return lookupErrors.sum();
    }

    /** The database file, for logs and the admin view. */
    public Path database() {
        return database;
    }

    /** The database's type and build date, e.g. {@code GeoIP2-City built 2024-06-11T00:00:00Z}. */
    public String describe() {
        return reader.getMetadata().getDatabaseType() + " built " + reader.getMetadata().getBuildDate().toInstant();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(CONFIG_KEY + " : " + database + " : closing failed", e);
        }
    }

    private static IllegalArgumentException invalid(Path database, String problem) {
        return new IllegalArgumentException(CONFIG_KEY + " : " + database + " (expected: a GeoIP2 or GeoLite2 City"
                + " database file; found: " + problem + ")");
    }

    private static void closeQuietly(DatabaseReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // the open already failed; its reason is the one to report
        }
    }
}

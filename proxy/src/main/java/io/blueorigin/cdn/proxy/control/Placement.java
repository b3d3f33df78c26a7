package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a node tells admin's registry about where it stands, for routing clients to it (the {@code node.latitude},
 * {@code node.longitude}, {@code node.weight}, {@code node.public-url} and {@code node.addresses} keys): sent with
 * every registration. Coordinates are optional (admin then uses its POP's, {@code /api/v1/pops}).
 *
 * @param latitude degrees north, -90..90, or null (with longitude)
 * @param longitude degrees east, -180..180, or null (with latitude)
 * @param weight the node's share among equally near edges, 1..1000
 * @param publicUrl where clients are sent ({@code /route} redirects), when it is not the traffic URL
 * @param addresses the IP literals DNS answers give for the node (empty: the public URL's host if it is one)
 */
public record Placement(@Nullable Double latitude, @Nullable Double longitude, int weight, Optional<URI> publicUrl,
        List<String> addresses) {
    /** Most addresses one node registers (admin's limit). */
    public static final int MAX_ADDRESSES = 16;
    public static final int DEFAULT_WEIGHT = 100;
    /** The characters of an IPv4 or IPv6 literal; admin parses them strictly. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public Placement {
        requireNonNull(publicUrl, "publicUrl is null");
        addresses = List.copyOf(requireNonNull(addresses, "addresses is null"));
        if ((latitude == null) != (longitude == null)) {
            throw new IllegalArgumentException("node.latitude and node.longitude : set both or neither");
        }
        if (latitude != null && !(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("node.latitude : " + latitude + " (expected: -90..90)");
        }
        if (longitude != null && !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("node.longitude : " + longitude + " (expected: -180..180)");
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("node.weight : " + weight + " (expected: 1..1000)");
        }
        publicUrl.ifPresent(url -> {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("node.public-url : " + url + " (expected: an http:// or https:// URL)");
            }
        });
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("node.addresses : " + addresses.size() + " addresses (expected: at most "
                    + MAX_ADDRESSES + ")");
        }
        for (String a : addresses) {
            if (!IP_LITERAL.matcher(a).matches()) {
                throw new IllegalArgumentException("node.addresses : '" + a + "' (expected: IPv4 or IPv6 literals such as"
                        + " 192.0.2.10 or 2001:db8::10, no host names)");
            }
        }
    }

    /** No coordinates (admin uses the POP's), the default weight, the traffic URL, no addresses. */
    public static Placement none() {
        return new Placement(null, null, DEFAULT_WEIGHT, Optional.empty(), List.of());
    }
}

package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.IpLiterals;
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
 * @param advertisedHost the host other nodes and admin reach this node by ({@code node.advertised-host}): the
 *     registered traffic and management URLs use it with their ports; empty: the bind address (127.0.0.1 for a
 *     wildcard bind), which only works when everything runs on one machine
 */
public record Placement(@Nullable Double latitude, @Nullable Double longitude, int weight, Optional<URI> publicUrl,
        List<String> addresses, Optional<String> advertisedHost) {
    /** Most addresses one node registers (admin's limit). */
    public static final int MAX_ADDRESSES = 16;
    public static final int DEFAULT_WEIGHT = 100;
    /** A DNS name, an IPv4 literal or a bracketed IPv6 literal, as a URI host. */
    private static final Pattern ADVERTISED_HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\]");

    public Placement {
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(advertisedHost, "advertisedHost is null");
        advertisedHost.ifPresent(host -> {
            if (!ADVERTISED_HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("node.advertised-host : '" + host + "' (expected: a host name or IP"
                        + " address other nodes reach this one by, e.g. edge-nyc-1.example.net or 10.0.0.5; IPv6 in brackets)");
            }
        });
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
            if (!IpLiterals.isLiteral(a)) {
                throw new IllegalArgumentException("node.addresses : '" + a + "' (expected: IPv4 or IPv6 literals such as"
                        + " 192.0.2.10 or 2001:db8::10, no host names)");
            }
        }
    }

    /** No coordinates (admin uses the POP's), the default weight, the traffic URL, no addresses, the bind address. */
    public static Placement none() {
        return new Placement(null, null, DEFAULT_WEIGHT, Optional.empty(), List.of(), Optional.empty());
    }

    /** The same placement, advertising {@code host}. */
    public Placement withAdvertisedHost(String host) {
        return new Placement(latitude, longitude, weight, publicUrl, addresses, Optional.of(host));
    }

    /** {@code url} (a listener's URL) as others reach it: its host replaced by the advertised host, if any. */
    public URI advertise(URI url) {
        return advertisedHost.map(host -> URI.create(url.getScheme() + "://" + host + ":" + url.getPort()
                + (url.getRawPath() == null ? "" : url.getRawPath()))).orElse(url);
    }
}

package io.blueorigin.cdn.admin.db;

/**
 * A place in WGS 84 degrees, as nodes and POPs declare it.
 *
 * @param latitude -90..90
 * @param longitude -180..180
 */
public record Coordinates(double latitude, double longitude) {
    public Coordinates {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude out of -90..90: " + latitude);
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude out of -180..180: " + longitude);
        }
    }
}

package io.blueorigin.cdn.router;

/**
 * A point on the Earth in decimal degrees (WGS 84, as GeoIP2 reports it).
 *
 * <p>Invariant: {@code -90 <= latitude <= 90} and {@code -180 <= longitude <= 180}; NaN and infinities are
 * rejected (checked in the constructor, so every instance can be measured).
 */
public record Coordinates(double latitude, double longitude) {
    /** Mean Earth radius (IUGG R1), the usual sphere for great-circle distances. */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    public Coordinates {
        if (!valid(latitude, longitude)) {
            throw new IllegalArgumentException("coordinates : (" + latitude + ", " + longitude
                    + ") (expected: latitude in [-90, 90], longitude in [-180, 180])");
        }
    }

    /** Whether {@code (latitude, longitude)} would make valid coordinates; lets callers avoid the exception. */
    public static boolean valid(double latitude, double longitude) {
        // written as "inside" so that NaN (all comparisons false) is outside
        return latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180;
    }

    /**
     * The great-circle distance to {@code other} in kilometres, by the haversine formula on a sphere of
     * {@link #EARTH_RADIUS_KM}. Symmetric, zero for equal points, at most half the circumference. The
     * sphere errs by up to about 0.5 % against the ellipsoid, far below what separates two POPs.
     */
    public double distanceKm(Coordinates other) {
        double phi1 = Math.toRadians(latitude);
        double phi2 = Math.toRadians(other.latitude);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(other.longitude - longitude);
        double sinPhi = Math.sin(dPhi / 2);
        double sinLambda = Math.sin(dLambda / 2);
        double h = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * sinLambda * sinLambda;
        // rounding can push h a hair above 1 for antipodal points; asin would then be NaN
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1.0, h)));
    }
}

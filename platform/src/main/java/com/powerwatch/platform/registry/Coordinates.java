package com.powerwatch.platform.registry;

/**
 * WGS-84 (GPS, stored) and GCJ-02 (the offset coordinates of AMap/Tencent maps in China). The forward transform is the
 * public one on the Krasovsky ellipsoid; the inverse is iterated until the forward image matches to ~1e-7°.
 * Outside China's bounding box there is no offset.
 */
public final class Coordinates {

    public record Point(double longitude, double latitude) {
    }

    public enum System { WGS84, GCJ02 }

    private static final double A = 6378245.0;
    private static final double EE = 0.00669342162296594323;

    private Coordinates() {
    }

    /** Converts a point given in {@code from} to WGS-84. */
    public static Point toWgs84(System from, double longitude, double latitude) {
        return from == System.GCJ02 ? gcj02ToWgs84(longitude, latitude) : new Point(longitude, latitude);
    }

    public static boolean outOfChina(double lon, double lat) {
        return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
    }

    public static Point wgs84ToGcj02(double lon, double lat) {
        if (outOfChina(lon, lat)) {
            return new Point(lon, lat);
        }
        double dLat = transformLat(lon - 105.0, lat - 35.0);
        double dLon = transformLon(lon - 105.0, lat - 35.0);
        double radLat = lat / 180.0 * Math.PI;
        double magic = Math.sin(radLat);
        magic = 1 - EE * magic * magic;
        double sqrtMagic = Math.sqrt(magic);
        dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
        dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * Math.PI);
        return new Point(lon + dLon, lat + dLat);
    }

    public static Point gcj02ToWgs84(double lon, double lat) {
        if (outOfChina(lon, lat)) {
            return new Point(lon, lat);
        }
        double wLon = lon;
        double wLat = lat;
        for (int i = 0; i < 30; i++) {
            Point g = wgs84ToGcj02(wLon, wLat);
            double dLon = g.longitude() - lon;
            double dLat = g.latitude() - lat;
            wLon -= dLon;
            wLat -= dLat;
            if (Math.abs(dLon) < 1e-9 && Math.abs(dLat) < 1e-9) {
                break;
            }
        }
        return new Point(wLon, wLat);
    }

    private static double transformLat(double x, double y) {
        double ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
        ret += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return ret;
    }

    private static double transformLon(double x, double y) {
        double ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
        ret += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return ret;
    }
}

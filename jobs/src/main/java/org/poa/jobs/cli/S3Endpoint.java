package org.poa.jobs.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POA_S3_ENDPOINT}: the short form for an S3-compatible server that is not AWS (MinIO,
 * Ceph, S3Proxy...). It sets what such servers need through S3A's own settings, as Spark settings
 * ({@code spark.hadoop.fs.s3a.*}) that any {@code --conf} given explicitly overrides:
 * the endpoint, path-style access (bucket in the path, not the host name), TLS by the URL's scheme,
 * and a signing region (the AWS SDK needs one; {@code POA_S3_REGION}, {@code AWS_REGION}, else
 * us-east-1). Credentials come from the standard AWS chain (environment, profile, instance role).
 */
final class S3Endpoint {

    private S3Endpoint() {
    }

    /** The Spark settings for the endpoint, or none when it is null or blank. */
    static Map<String, String> settings(String endpoint, Map<String, String> environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (endpoint == null || endpoint.isBlank()) {
            return settings;
        }
        URI uri;
        try {
            uri = URI.create(endpoint.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("POA_S3_ENDPOINT '" + endpoint + "' is not a URL like http://127.0.0.1:9000");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("POA_S3_ENDPOINT '" + endpoint + "' is not a URL like http://127.0.0.1:9000");
        }
        String region = firstOf(environment.get("POA_S3_REGION"), environment.get("AWS_REGION"), "us-east-1");
        settings.put("spark.hadoop.fs.s3a.endpoint", endpoint.strip());
        settings.put("spark.hadoop.fs.s3a.path.style.access", "true");
        settings.put("spark.hadoop.fs.s3a.connection.ssl.enabled", Boolean.toString("https".equals(uri.getScheme())));
        settings.put("spark.hadoop.fs.s3a.endpoint.region", region);
        return settings;
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}

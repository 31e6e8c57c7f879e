package io.hadb.lease.s3;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.testservers.CasLatencyBenchmark;
import io.hadb.testservers.Latencies;
import io.hadb.testservers.S3ProxyServer;
import java.net.URI;
import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Latency of one lease compare-and-set on a private loopback S3Proxy, next to one bare
 * conditional PUT ({@code If-None-Match: *}) made with the AWS SDK in the same run; then the
 * storage-s3 calls a changeset publisher makes (put, putIfAbsent, get of a 4 KiB object).
 *
 * <p>Run it as the README's "Measured" section says (it starts its own S3Proxy; figures on
 * stdout, library logging on stderr).
 */
public final class S3CasLatencyBenchmark {
  public static void main(String[] args) {
    int ops = CasLatencyBenchmark.ops(args);
    try (S3ProxyServer server = S3ProxyServer.start();
        LeaseStore store = LeaseStores.open(server.uri("bench", "leases", "filesystemCompat=true"));
        StorageBackend storage = StorageBackends.open(server.uri("bench", "storage", "filesystemCompat=true"));
        S3Client raw = rawClient(server)) {
      long[] n = {0};
      CasLatencyBenchmark.run("S3Proxy " + S3ProxyServer.VERSION, "lease-s3", store,
          "AWS SDK PutObject If-None-Match",
          () -> raw.putObject(r -> r.bucket("bench").key("raw/" + n[0]++).ifNoneMatch("*"),
              RequestBody.fromBytes(CasLatencyBenchmark.VALUE)),
          ops, System.out);
      storageLatencies(storage, ops);
    }
  }

  private static void storageLatencies(StorageBackend storage, int ops) {
    byte[] body = new byte[4096];
    Arrays.fill(body, (byte) 'x');
    int warmup = Math.max(200, ops / 5);
    Latencies put = new Latencies("storage-s3 put (4 KiB)", ops);
    Latencies putIfAbsent = new Latencies("storage-s3 putIfAbsent (4 KiB)", ops);
    Latencies get = new Latencies("storage-s3 get (4 KiB)", ops);
    for (int i = 0; i < warmup + ops; i++) {
      String overwritten = "put/object";
      String fresh = "pia/" + String.format("%020d", i);
      if (i < warmup) {
        storage.put(overwritten, body);
        storage.putIfAbsent(fresh, body);
        storage.get(fresh).orElseThrow();
      } else {
        put.time(() -> storage.put(overwritten, body));
        putIfAbsent.time(() -> storage.putIfAbsent(fresh, body));
        get.time(() -> storage.get(fresh).orElseThrow());
      }
    }
    System.out.println("  " + put);
    System.out.println("  " + putIfAbsent);
    System.out.println("  " + get);
  }

  private static S3Client rawClient(S3ProxyServer server) {
    return S3Client.builder()
        .httpClient(ApacheHttpClient.builder().build())
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.of(S3ProxyServer.REGION))
        .forcePathStyle(true)
        // As storage-s3 does: S3Proxy does not know every checksum the SDK sends by default.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .build();
  }
}

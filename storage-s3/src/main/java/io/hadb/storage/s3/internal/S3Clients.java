package io.hadb.storage.s3.internal;

import io.hadb.api.HadbException;
import io.hadb.storage.s3.S3Config;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the SDK clients of one backend: one HTTP connection pool shared by a retrying client
 * (idempotent calls) and a non-retrying one (conditional writes, whose retries the backend makes
 * itself so that it knows when an attempt may have landed).
 */
public final class S3Clients implements AutoCloseable {
  /** Default region when an endpoint is given without one; S3-compatible stores ignore it. */
  private static final String DEFAULT_ENDPOINT_REGION = "us-east-1";

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final S3Client retrying;
  private final S3Client once;

  public S3Clients(S3Config config) {
    // The Apache client, not the URLConnection one: the latter mishandles 412 answers to
    // conditional PUTs with a body (observed against S3Proxy).
    this.http = ApacheHttpClient.builder()
        .connectionTimeout(config.connectTimeout())
        .socketTimeout(config.socketTimeout())
        .maxConnections(config.maxConnections())
        .connectionAcquisitionTimeout(config.apiCallTimeout())
        // A restarted server leaves dead pooled connections; do not keep idle ones long.
        .connectionMaxIdleTime(Duration.ofSeconds(10))
        .useIdleConnectionReaper(true)
        .build();
    this.credentials = credentials(config);
    try {
      RetryStrategy standard = AwsRetryStrategy.standardRetryStrategy().toBuilder()
          .maxAttempts(config.maxAttempts()).build();
      this.retrying = builder(config).overrideConfiguration(o -> o
          .apiCallTimeout(config.apiCallTimeout())
          .apiCallAttemptTimeout(config.attemptTimeout())
          .retryStrategy(standard)).build();
      this.once = builder(config).overrideConfiguration(o -> o
          .apiCallTimeout(config.attemptTimeout())
          .apiCallAttemptTimeout(config.attemptTimeout())
          .retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    } catch (SdkClientException e) {
      http.close();
      throw HadbException.invalidArgument("cannot configure the S3 client for " + config.uri()
          + ": " + e.getMessage() + (config.region().isEmpty() ? " (set region=...)" : ""));
    }
  }

  private S3ClientBuilder builder(S3Config config) {
    S3ClientBuilder b = S3Client.builder()
        .httpClient(http)
        .credentialsProvider(credentials)
        .forcePathStyle(config.pathStyle())
        // S3-compatible stores (S3Proxy among them) do not all know the SDK's default CRC
        // checksums; hadb verifies its own data with SHA-256 inside the objects anyway.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    config.endpoint().ifPresent(b::endpointOverride);
    if (config.region().isPresent()) {
      b.region(Region.of(config.region().get()));
    } else if (config.endpoint().isPresent()) {
      b.region(Region.of(DEFAULT_ENDPOINT_REGION));
    }
    return b;
  }

  private static AwsCredentialsProvider credentials(S3Config config) {
    if (config.accessKey().isPresent()) {
      String ak = config.accessKey().get();
      String sk = config.secretKey().orElseThrow();
      return StaticCredentialsProvider.create(config.sessionToken().isPresent()
          ? AwsSessionCredentials.create(ak, sk, config.sessionToken().get())
          : AwsBasicCredentials.create(ak, sk));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** For idempotent calls: the SDK retries within the call timeout. */
  public S3Client retrying() {
    return retrying;
  }

  /** For conditional writes: one attempt per call. */
  public S3Client once() {
    return once;
  }

  @Override
  public void close() {
    retrying.close();
    once.close();
    if (credentials instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Nothing to lose: the provider only caches credentials.
      }
    }
    http.close();
  }
}

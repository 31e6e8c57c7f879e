package io.hadb.storage.s3;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.storage.s3.internal.AbortingStream;
import io.hadb.storage.s3.internal.BodyRange;
import io.hadb.storage.s3.internal.ObjectNames;
import io.hadb.storage.s3.internal.S3Clients;
import io.hadb.storage.s3.internal.S3Errors;
import io.hadb.storage.s3.internal.StreamCompare;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link StorageBackend} on an S3 bucket (AWS S3 or an S3-compatible store), under a key
 * prefix. See the module README for the URI, the guarantees and the stores it is safe on.
 *
 * <h2>putIfAbsent and ambiguous outcomes</h2>
 *
 * <p>{@code putIfAbsent} is one PUT with {@code If-None-Match: *}, atomic on stores that enforce
 * it atomically (AWS S3, MinIO, R2, GCS, S3Proxy; not S3Mock or Tigris). The SDK's own retries
 * are off for it: this class retries itself and remembers whether an attempt may have landed (it
 * timed out or broke after being sent, or got a 5xx). When a later attempt then answers 412, or
 * the attempts run out, the stored object is read back and compared byte for byte with the body,
 * streaming both: equal means an earlier attempt of this call wrote it ({@code true}), different
 * means someone else did ({@code false}), absent or unreadable means
 * {@link io.hadb.api.ErrorCode#UNKNOWN_OUTCOME} (the attempt may still be in flight).
 *
 * <p>Bodies longer than the multipart threshold go up in parts, streamed from the
 * {@link BodySource} (each part re-opens it and skips to its offset, so nothing is buffered); a
 * conditional multipart upload is completed with {@code If-None-Match: *}.
 */
public final class S3StorageBackend implements StorageBackend {
  private static final System.Logger LOG = System.getLogger(S3StorageBackend.class.getName());
  private static final String CONTENT_TYPE = "application/octet-stream";
  /** A slow but live link still moves this much per second; bounds the time of a big transfer. */
  private static final long MIN_BYTES_PER_SECOND = 1024 * 1024;

  private final S3Config config;
  private final S3Clients clients;
  private final ObjectNames names;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3StorageBackend(S3Config config) {
    this.config = config;
    this.clients = new S3Clients(config);
    this.names = new ObjectNames(config.prefix(),
        config.filesystemCompat() ? S3Config.FS_COMPAT_SUFFIX : "");
  }

  /** Opens a backend; creates the bucket first when the URI says {@code createBucket=true}. */
  public static S3StorageBackend open(S3Config config) {
    S3StorageBackend b = new S3StorageBackend(config);
    if (config.createBucket()) {
      try {
        b.ensureBucket();
      } catch (RuntimeException e) {
        b.close();
        throw e;
      }
    }
    return b;
  }

  public S3Config config() {
    return config;
  }

  private void ensureBucket() {
    S3Client s3 = clients.retrying();
    try {
      s3.headBucket(r -> r.bucket(config.bucket()));
      return;
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw S3Errors.map("head bucket", config.bucket(), config.where(), config.bucket(), e);
      }
    } catch (SdkException e) {
      throw S3Errors.map("head bucket", config.bucket(), config.where(), config.bucket(), e);
    }
    try {
      s3.createBucket(r -> r.bucket(config.bucket()));
      LOG.log(System.Logger.Level.INFO, "created bucket " + config.bucket() + " (" + config.uri() + ")");
    } catch (S3Exception e) {
      String code = S3Errors.code(e);
      if (!code.equals("BucketAlreadyOwnedByYou") && !code.equals("BucketAlreadyExists")) {
        throw S3Errors.map("create bucket", config.bucket(), config.where(), config.bucket(), e);
      }
    } catch (SdkException e) {
      throw S3Errors.map("create bucket", config.bucket(), config.where(), config.bucket(), e);
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<InputStream> getStream(String key) {
    ensureOpen();
    String name = names.object(Keys.validate(key));
    try {
      ResponseInputStream<GetObjectResponse> in =
          clients.retrying().getObject(r -> r.bucket(config.bucket()).key(name));
      return Optional.of(new AbortingStream(in));
    } catch (SdkException e) {
      if (S3Errors.isNoSuchKey(e)) {
        return Optional.empty();
      }
      throw fail("get", key, e);
    }
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    Keys.validatePrefix(prefix);
    HadbException.requireArg(startAfter, "startAfter");
    startAfter.ifPresent(s -> {
      if (!s.isEmpty()) {
        Keys.validatePrefix(s);
      }
    });
    StorageBackend.checkLimit(limit);
    ensureOpen();
    // A page is short only at the end of the listing: objects that are not hadb keys (foreign
    // names, S3Proxy's in-flight temporary files) are skipped and the page is filled from the
    // following ones, so that list(dir, limit 1) finds the first key whatever lies before it.
    String after = startAfter.filter(s -> !s.isEmpty()).map(names::startAfter).orElse(null);
    List<String> keys = new ArrayList<>();
    int skipped = 0;
    while (true) {
      String from = after;
      int ask = Math.min(StorageBackend.MAX_LIST_LIMIT, limit - keys.size() + skipped);
      ListObjectsV2Response page;
      try {
        page = clients.retrying().listObjectsV2(r -> {
          r.bucket(config.bucket()).prefix(names.listPrefix(prefix)).maxKeys(ask);
          if (from != null) {
            r.startAfter(from);
          }
        });
      } catch (SdkException e) {
        throw fail("list", prefix, e);
      }
      List<S3Object> contents = page.contents();
      for (int i = 0; i < contents.size(); i++) {
        after = contents.get(i).key();
        Optional<String> k = names.key(after).filter(S3StorageBackend::isKey);
        if (k.isEmpty()) {
          skipped++;
          continue;
        }
        keys.add(k.get());
        if (keys.size() == limit) {
          boolean more = i < contents.size() - 1 || Boolean.TRUE.equals(page.isTruncated());
          return new ListPage(keys, more ? Optional.of(k.get()) : Optional.empty());
        }
      }
      if (!Boolean.TRUE.equals(page.isTruncated()) || contents.isEmpty()) {
        return new ListPage(keys, Optional.empty());
      }
    }
  }

  private static boolean isKey(String k) {
    try {
      Keys.validate(k);
      return true;
    } catch (HadbException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void put(String key, BodySource body) {
    String name = names.object(Keys.validate(key));
    HadbException.requireArg(body, "body");
    ensureOpen();
    long length = body.length();
    if (length > config.multipartThreshold()) {
      multipartUpload(key, name, body, false);
      return;
    }
    BodyRange content = new BodyRange(body, 0, length);
    try {
      // A write id on every object, so a later conditional write's read-back never mistakes
      // this object for its own (see compareStored).
      String writeId = newWriteId();
      clients.retrying().putObject(r -> r.bucket(config.bucket()).key(name).contentLength(length)
              .contentType(CONTENT_TYPE).metadata(Map.of(WRITE_ID, writeId))
              .overrideConfiguration(o -> budget(o, length, true)),
          RequestBody.fromContentProvider(content, length, CONTENT_TYPE));
    } catch (SdkException e) {
      throw fail("put", key, e);
    } finally {
      content.closeCurrent();
    }
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    String name = names.object(Keys.validate(key));
    HadbException.requireArg(body, "body");
    ensureOpen();
    long length = body.length();
    if (length > config.multipartThreshold()) {
      return multipartUpload(key, name, body, true);
    }
    BodyRange content = new BodyRange(body, 0, length);
    String writeId = newWriteId();
    try {
      return conditionalWrite(key, name, body, length, writeId, () -> clients.once().putObject(
          r -> r.bucket(config.bucket()).key(name).contentLength(length).contentType(CONTENT_TYPE)
              .metadata(Map.of(WRITE_ID, writeId))
              .ifNoneMatch("*").overrideConfiguration(o -> budget(o, length, false)),
          RequestBody.fromContentProvider(content, length, CONTENT_TYPE)));
    } finally {
      content.closeCurrent();
    }
  }

  @Override
  public void delete(String key) {
    String name = names.object(Keys.validate(key));
    ensureOpen();
    try {
      clients.retrying().deleteObject(r -> r.bucket(config.bucket()).key(name));
    } catch (SdkException e) {
      if (S3Errors.isNoSuchKey(e)) {
        return;
      }
      throw fail("delete", key, e);
    }
  }

  /**
   * Runs one conditional write ({@code If-None-Match: *}) with its own retries, resolving an
   * ambiguous outcome by reading the object back (see the class comment).
   *
   * @return true when this call wrote the object, false when another object was there
   */
  private boolean conditionalWrite(
      String key, String name, BodySource body, long length, String writeId, Runnable attempt) {
    long deadline = System.nanoTime() + budgetFor(config.apiCallTimeout(), length).toNanos();
    boolean mayHaveLanded = false;
    RuntimeException last = null;
    for (int n = 1; ; n++) {
      try {
        attempt.run();
        return true;
      } catch (SdkException e) {
        last = e;
        if (S3Errors.isStatus(e, 412)) {
          if (!mayHaveLanded) {
            return false;
          }
          // 412 after an attempt that may have landed: ours or someone else's? Compare bytes.
          Stored s = compareStored(key, name, body, writeId, e);
          if (s != Stored.ABSENT) {
            return s == Stored.SAME;
          }
          // Present a moment ago, gone now (deleted meanwhile): the key is free, try again.
        } else if (S3Errors.classify(e) == S3Errors.Attempt.AMBIGUOUS) {
          mayHaveLanded = true;
          LOG.log(System.Logger.Level.DEBUG, () -> "conditional put of " + key + " in " + config.where()
              + " may have landed (attempt failed: " + e + ")");
        } else if (!isRetryableRefusal(e)) {
          if (!mayHaveLanded) {
            throw fail("putIfAbsent", key, e);
          }
          break;
        }
      }
      long backoff = backoff(n);
      if (n >= config.maxAttempts() || System.nanoTime() + backoff * 1_000_000 > deadline) {
        break;
      }
      sleep(backoff);
    }
    if (!mayHaveLanded) {
      throw fail("putIfAbsent", key, last);
    }
    Stored s;
    try {
      s = compareStored(key, name, body, writeId, last);
    } catch (HadbException e) {
      throw S3Errors.unknownOutcome("putIfAbsent of '" + key + "' in " + config.where()
          + " may or may not have written the object: an attempt failed after being sent ("
          + last + ") and reading the object back failed too (" + e.getMessage() + ")", e);
    }
    if (s == Stored.ABSENT) {
      throw S3Errors.unknownOutcome("putIfAbsent of '" + key + "' in " + config.where()
          + " may or may not have written the object: an attempt failed after being sent and the"
          + " object is not there yet, but that attempt may still land; read before retrying ("
          + last + ")", last);
    }
    return s == Stored.SAME;
  }

  /** 4xx answers that refuse a request without applying it and invite a retry. */
  private static boolean isRetryableRefusal(Throwable e) {
    // 409 ConditionalRequestConflict: a concurrent conditional write on the key is in progress.
    return S3Errors.isStatus(e, 409) || S3Errors.isStatus(e, 408) || S3Errors.isStatus(e, 429);
  }

  private enum Stored { SAME, DIFFERENT, ABSENT }

  /** User metadata ({@code x-amz-meta-hadb-write-id}) naming the call that wrote an object. */
  static final String WRITE_ID = "hadb-write-id";

  private static String newWriteId() {
    return java.util.UUID.randomUUID().toString();
  }

  /**
   * Whether the stored object is the one this call wrote. Every conditional write carries a
   * random write id in its metadata, so the answer is exact where the store keeps metadata (an
   * identical body written by someone else is not ours); where it does not, the bytes decide,
   * streamed on both sides.
   */
  private Stored compareStored(String key, String name, BodySource body, String writeId, Throwable why) {
    try (ResponseInputStream<GetObjectResponse> stored =
        clients.retrying().getObject(r -> r.bucket(config.bucket()).key(name)
            .overrideConfiguration(o -> budget(o, body.length(), true)))) {
      String storedId = stored.response().metadata().get(WRITE_ID);
      if (storedId != null) {
        stored.abort();
        boolean ours = storedId.equals(writeId);
        LOG.log(System.Logger.Level.DEBUG, () -> "resolved an ambiguous write of " + key + " in "
            + config.where() + " by its write id: " + (ours ? "ours" : "someone else's"));
        return ours ? Stored.SAME : Stored.DIFFERENT;
      }
      Long storedLength = stored.response().contentLength();
      if (storedLength != null && storedLength != body.length()) {
        stored.abort();
        return Stored.DIFFERENT;
      }
      try (InputStream mine = body.open()) {
        boolean same = StreamCompare.sameBytes(stored, mine);
        LOG.log(System.Logger.Level.DEBUG, () -> "resolved an ambiguous write of " + key + " in "
            + config.where() + " by reading back: " + (same ? "ours" : "someone else's"));
        return same ? Stored.SAME : Stored.DIFFERENT;
      }
    } catch (SdkException e) {
      if (S3Errors.isNoSuchKey(e)) {
        return Stored.ABSENT;
      }
      throw fail("read-back", key, e);
    } catch (IOException e) {
      throw HadbException.unavailable("reading back '" + key + "' in " + config.where()
          + " to resolve an ambiguous write failed: " + e.getMessage() + " (after " + why + ")", e);
    }
  }

  /**
   * Uploads in parts, streamed from {@code body}; when {@code conditional}, completes with
   * {@code If-None-Match: *}.
   *
   * @return for a conditional upload, whether this call created the object; else true
   */
  private boolean multipartUpload(String key, String name, BodySource body, boolean conditional) {
    S3Client s3 = clients.retrying();
    if (conditional && exists(key, name)) {
      // Nothing of this call was sent yet, so an existing object is someone else's.
      return false;
    }
    String writeId = newWriteId();
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(r -> r.bucket(config.bucket()).key(name)
          .contentType(CONTENT_TYPE).metadata(Map.of(WRITE_ID, writeId))).uploadId();
    } catch (SdkException e) {
      throw fail("multipart upload", key, e);
    }
    boolean done = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long length = body.length();
      int partNumber = 1;
      for (long offset = 0; offset < length || partNumber == 1; offset += config.partSize()) {
        long partLength = Math.min(config.partSize(), length - offset);
        BodyRange content = new BodyRange(body, offset, partLength);
        int pn = partNumber;
        try {
          String etag = s3.uploadPart(r -> r.bucket(config.bucket()).key(name).uploadId(uploadId)
                  .partNumber(pn).contentLength(partLength)
                  .overrideConfiguration(o -> budget(o, partLength, true)),
              RequestBody.fromContentProvider(content, partLength, CONTENT_TYPE)).eTag();
          parts.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
        } catch (SdkException e) {
          throw fail("upload of part " + pn + " of", key, e);
        } finally {
          content.closeCurrent();
        }
        partNumber++;
      }
      boolean created;
      if (conditional) {
        created = conditionalWrite(key, name, body, 0, writeId, () -> clients.once().completeMultipartUpload(
            r -> r.bucket(config.bucket()).key(name).uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(u -> u.parts(parts))));
      } else {
        completeUnconditionally(key, name, body, writeId, uploadId, parts);
        created = true;
      }
      done = created;
      return created;
    } finally {
      if (!done) {
        abortQuietly(name, uploadId);
      }
    }
  }

  private void completeUnconditionally(String key, String name, BodySource body, String writeId,
      String uploadId, List<CompletedPart> parts) {
    try {
      clients.retrying().completeMultipartUpload(r -> r.bucket(config.bucket()).key(name)
          .uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
    } catch (SdkException e) {
      // An SDK retry of a completion that had already succeeded answers NoSuchUpload: check.
      if (S3Errors.isStatus(e, 404) && compareStored(key, name, body, writeId, e) == Stored.SAME) {
        return;
      }
      throw fail("completing the multipart upload of", key, e);
    }
  }

  private boolean exists(String key, String name) {
    try {
      clients.retrying().headObject(r -> r.bucket(config.bucket()).key(name));
      return true;
    } catch (SdkException e) {
      if (S3Errors.isNoSuchKey(e)) {
        return false;
      }
      throw fail("head", key, e);
    }
  }

  private void abortQuietly(String name, String uploadId) {
    try {
      clients.retrying().abortMultipartUpload(r -> r.bucket(config.bucket()).key(name).uploadId(uploadId));
    } catch (SdkException e) {
      // A leftover upload costs storage until a lifecycle rule removes it; it is never visible.
      LOG.log(System.Logger.Level.WARNING, "could not abort multipart upload " + uploadId + " of "
          + name + " in " + config.where() + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Call and attempt timeouts grown with the body size, so big transfers are not cut short. */
  private void budget(
      software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder o, long bytes, boolean retrying) {
    Duration call = budgetFor(retrying ? config.apiCallTimeout() : config.attemptTimeout(), bytes);
    o.apiCallTimeout(call).apiCallAttemptTimeout(budgetFor(config.attemptTimeout(), bytes));
  }

  private static Duration budgetFor(Duration base, long bytes) {
    return base.plusSeconds(bytes / MIN_BYTES_PER_SECOND);
  }

  private static long backoff(int attempt) {
    long base = Math.min(1000, 25L << Math.min(attempt - 1, 6));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while retrying an S3 call", e);
    }
  }

  private HadbException fail(String op, String key, Throwable e) {
    return S3Errors.map(op, key, config.where(), config.bucket(), e);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw HadbException.closed("S3 storage " + config.uri());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      clients.close();
    }
  }

  @Override
  public String toString() {
    return "S3StorageBackend[" + config.uri() + "]";
  }
}

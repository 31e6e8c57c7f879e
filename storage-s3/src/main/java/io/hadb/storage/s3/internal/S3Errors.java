package io.hadb.storage.s3.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS SDK exceptions into {@link HadbException}s whose code says whether a retry can help,
 * with messages that name the operation, the key and the bucket (never a credential).
 */
public final class S3Errors {
  private S3Errors() {}

  /** What a failed conditional write attempt tells about whether it may have taken effect. */
  public enum Attempt {
    /** The request certainly did not take effect (refused before it was sent, or a 4xx). */
    NOT_APPLIED,
    /** It may have taken effect: timed out or broke after being sent, or a server error. */
    AMBIGUOUS
  }

  /** The S3 error code ({@code NoSuchKey}, {@code PreconditionFailed}, …) or "". */
  public static String code(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? "" : e.awsErrorDetails().errorCode();
  }

  public static boolean isStatus(Throwable t, int status) {
    return t instanceof S3Exception s && s.statusCode() == status;
  }

  public static boolean isNoSuchKey(Throwable t) {
    return t instanceof S3Exception s && s.statusCode() == 404 && !"NoSuchBucket".equals(code(s));
  }

  /** Whether a failed write attempt may have reached the server and taken effect. */
  public static Attempt classify(Throwable t) {
    if (t instanceof S3Exception s) {
      int status = s.statusCode();
      // A 4xx answer is a refusal: nothing was written. 5xx and anything odd may hide a write.
      return status >= 400 && status < 500 ? Attempt.NOT_APPLIED : Attempt.AMBIGUOUS;
    }
    if (hasCause(t, ConnectException.class) || hasCause(t, UnknownHostException.class)
        || hasCause(t, NoRouteToHostException.class)
        || hasCauseNamed(t, "org.apache.http.conn.ConnectTimeoutException")
        || hasCauseNamed(t, "org.apache.http.conn.ConnectionPoolTimeoutException")) {
      return Attempt.NOT_APPLIED;
    }
    return Attempt.AMBIGUOUS;
  }

  /**
   * The {@link HadbException} for a failed call.
   *
   * @param op what was being done, for the message ("put", "list")
   * @param what the key or prefix, for the message
   * @param where the bucket and endpoint, for the message
   */
  public static HadbException map(String op, String what, String where, String bucket, Throwable t) {
    if (t instanceof HadbException h) {
      return h;
    }
    String context = op + " of '" + what + "' in " + where;
    if (t instanceof S3Exception s) {
      int status = s.statusCode();
      String code = code(s);
      String detail = code + " (HTTP " + status + ")"
          + (s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
              ? ": " + s.awsErrorDetails().errorMessage() : "");
      if ("NoSuchBucket".equals(code) || (status == 404 && code.isEmpty() && op.startsWith("list"))) {
        return HadbException.notFound(context + " failed: bucket '" + bucket + "' does not exist: "
            + detail + " (create it, or add createBucket=true to the URI)");
      }
      if (status == 403) {
        return HadbException.invalidArgument(context + " was refused: access to bucket '" + bucket
            + "' denied: " + detail + " (check the credentials - accessKey/secretKey or the default"
            + " AWS chain - the region, and the bucket policy)");
      }
      if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
        return HadbException.invalidArgument(context + " failed: bucket '" + bucket
            + "' is in another region or needs another endpoint: " + detail + " (set region=...)");
      }
      if (status == 400 || status == 405 || status == 411 || status == 413 || status == 501) {
        return HadbException.invalidArgument(context + " was refused: " + detail);
      }
      if (status == 408) {
        return HadbException.timeout(context + " timed out at the server: " + detail, t);
      }
      return HadbException.unavailable(context + " failed: " + detail, t);
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
        || hasCause(t, SocketTimeoutException.class)
        || hasCauseNamed(t, "org.apache.http.conn.ConnectTimeoutException")) {
      return HadbException.timeout(context + " timed out: " + t.getMessage(), t);
    }
    if (t instanceof AbortedException || hasCause(t, InterruptedException.class)
        || (hasCause(t, InterruptedIOException.class) && Thread.currentThread().isInterrupted())) {
      return HadbException.unavailable(context + " was interrupted", t);
    }
    if (t instanceof SdkClientException && t.getMessage() != null
        && t.getMessage().contains("Unable to load credentials")) {
      return HadbException.invalidArgument(context + " failed: no AWS credentials were found (set"
          + " accessKey and secretKey in the URI, or configure the default AWS credentials chain)");
    }
    if (t instanceof SdkClientException && t.getMessage() != null
        && t.getMessage().contains("Unable to load region")) {
      return HadbException.invalidArgument(context + " failed: no AWS region was found (set region=...)");
    }
    return HadbException.unavailable(context + " failed: " + t, t);
  }

  /** Marks an exception as "the write may or may not have happened". */
  public static HadbException unknownOutcome(String message, Throwable cause) {
    return new HadbException(ErrorCode.UNKNOWN_OUTCOME, message, cause);
  }

  static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  static boolean hasCauseNamed(Throwable t, String className) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      for (Class<?> k = c.getClass(); k != null; k = k.getSuperclass()) {
        if (k.getName().equals(className)) {
          return true;
        }
      }
    }
    return false;
  }
}

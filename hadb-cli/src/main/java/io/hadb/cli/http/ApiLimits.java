package io.hadb.cli.http;

import java.util.Optional;

/**
 * What the HTTP API accepts and from whom.
 *
 * @param maxBodyBytes a larger request body is refused with 413 before it is read
 * @param maxStatements a request with more statements is refused with 400
 * @param threads requests handled at once; more wait in a bounded queue
 * @param token when present, every request but {@code /readyz} and the page's HTML must carry
 *     {@code Authorization: Bearer <token>}
 */
public record ApiLimits(int maxBodyBytes, int maxStatements, int threads, Optional<String> token) {
  public ApiLimits {
    if (maxBodyBytes < 1 || maxStatements < 1 || threads < 1) {
      throw new IllegalArgumentException("limits must be positive: body " + maxBodyBytes + ", statements "
          + maxStatements + ", threads " + threads);
    }
  }
}

package io.hadb.storage.local;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of a {@code file:} storage backend, parsed from its URI.
 *
 * <p>{@code file:///absolute/dir} or {@code file:relative/dir} (resolved against the working
 * directory when the backend is opened). Parameters:
 *
 * <ul>
 *   <li>{@code fsync} (default {@code true}): fsync every written object and the directories that
 *       name it before a write returns, so an acknowledged write survives a power loss. With
 *       {@code false} writes are still atomic (never partial), but the last ones may vanish on a
 *       power loss or kernel crash.
 *   <li>{@code create} (default {@code true}): create the root directory (and its parents) when it
 *       is missing. Set {@code false} to make a mistyped path an error instead of a new, empty
 *       store.
 *   <li>{@code staleTempAge} (default {@code 1h}): temp files left by a writer that crashed are
 *       removed by listings once they have not been modified for this long. Must be longer than
 *       the longest pause a live writer can make between two writes of one object.
 * </ul>
 *
 * @param root the root directory, absolute and normalized
 */
public record LocalStorageConfig(Path root, boolean fsync, boolean create, Duration staleTempAge) {

  public static final String SCHEME = "file";
  public static final String FSYNC = "fsync";
  public static final String CREATE = "create";
  public static final String STALE_TEMP_AGE = "staleTempAge";
  public static final Duration DEFAULT_STALE_TEMP_AGE = Duration.ofHours(1);

  private static final Set<String> PARAMS = Set.of(FSYNC, CREATE, STALE_TEMP_AGE);

  public LocalStorageConfig {
    HadbException.requireArg(root, "root");
    HadbException.requireArg(staleTempAge, STALE_TEMP_AGE);
    if (!root.isAbsolute()) {
      throw HadbException.invalidArgument("root must be an absolute path, was " + root);
    }
    root = root.normalize();
    if (staleTempAge.isNegative() || staleTempAge.isZero()) {
      throw HadbException.invalidArgument(STALE_TEMP_AGE + " must be positive, was " + staleTempAge);
    }
  }

  /** Parses and validates a {@code file:} URI; every problem names the offending part. */
  public static LocalStorageConfig from(HadbUri uri) {
    HadbException.requireArg(uri, "uri");
    if (!SCHEME.equals(uri.scheme())) {
      throw HadbException.invalidArgument(
          "storage-local serves the file: scheme, not " + uri.scheme() + ": " + uri);
    }
    uri.rejectUnknownParams(PARAMS);
    // file://host/path names another machine; hadb never silently treats it as a local path.
    if (!uri.authority().isEmpty() && !uri.authority().equalsIgnoreCase("localhost")) {
      throw HadbException.invalidArgument(
          "file: URI must not name a host ('" + uri.authority() + "'); use file:///absolute/dir"
              + " or file:relative/dir: " + uri);
    }
    if (uri.path().isEmpty()) {
      throw HadbException.invalidArgument(
          "file: URI has no directory; use file:///absolute/dir or file:relative/dir: " + uri);
    }
    Path root;
    try {
      root = Path.of(uri.path()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw HadbException.invalidArgument(
          "file: URI path '" + uri.path() + "' is not a valid path here (" + e.getReason() + "): " + uri);
    }
    return new LocalStorageConfig(
        root,
        uri.boolParam(FSYNC, true),
        uri.boolParam(CREATE, true),
        uri.durationParam(STALE_TEMP_AGE, DEFAULT_STALE_TEMP_AGE));
  }
}

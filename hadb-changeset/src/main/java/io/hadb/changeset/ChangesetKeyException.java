package io.hadb.changeset;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.OptionalLong;

/**
 * An intact encrypted changeset cannot be read with the key given: none was given, or its key id
 * differs. {@link ErrorCode#INVALID_ARGUMENT}: the stored bytes are fine, the caller's key is not.
 *
 * <p>A reader throws this only after the object's checksum verified, so a corrupted key-id field
 * shows up as {@link ChangesetFormatException}, never as a misleading "wrong key".
 */
public class ChangesetKeyException extends HadbException {
  private static final long serialVersionUID = 1L;

  private final long expectedKeyId;
  private final OptionalLong givenKeyId;

  public ChangesetKeyException(String objectName, long expectedKeyId, OptionalLong givenKeyId) {
    super(ErrorCode.INVALID_ARGUMENT, describe(objectName, expectedKeyId, givenKeyId));
    this.expectedKeyId = expectedKeyId;
    this.givenKeyId = givenKeyId;
  }

  private static String describe(String name, long expected, OptionalLong given) {
    String where = name == null ? "changeset" : name;
    if (given.isEmpty()) {
      return where + ": the body is encrypted (key id " + EncryptionKey.formatKeyId(expected)
          + "); a key is required to read its contents (verifying the chain needs none)";
    }
    return where + ": wrong key (key id " + EncryptionKey.formatKeyId(expected) + " expected, "
        + EncryptionKey.formatKeyId(given.getAsLong()) + " given)";
  }

  public long expectedKeyId() {
    return expectedKeyId;
  }

  /** The id of the key that was given; empty when none was. */
  public OptionalLong givenKeyId() {
    return givenKeyId;
  }
}

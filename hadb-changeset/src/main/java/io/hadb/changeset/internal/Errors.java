package io.hadb.changeset.internal;

import io.hadb.changeset.ChangesetFormatException;
import io.hadb.changeset.ChangesetFormatException.Problem;

public final class Errors {
  private Errors() {}

  public static ChangesetFormatException format(
      Problem problem, String name, long offset, String detail) {
    return new ChangesetFormatException(problem, name, offset, detail);
  }

  public static ChangesetFormatException format(
      Problem problem, String name, long offset, String detail, Throwable cause) {
    return new ChangesetFormatException(problem, name, offset, detail, cause);
  }
}

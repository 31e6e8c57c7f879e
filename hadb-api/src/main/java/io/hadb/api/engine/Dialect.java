package io.hadb.api.engine;

import java.util.List;

/**
 * The SQL an engine's dialect supplies so that engine-neutral code never writes SQL itself
 * (DESIGN §3.3): the exactly-once request table of forwarded writes, the run-once record of
 * schema scripts, and how a script splits into statements.
 */
public interface Dialect {

  /** The replicated table that makes forwarded writes exactly-once (DESIGN §6.4). */
  RequestTable requestTable();

  /** The replicated record of schema scripts already run (run-once schema). */
  SchemaRecord schemaRecord();

  /**
   * Splits a script into its statements by the engine's lexical rules (quotes, comments, bodies
   * such as triggers); empty statements are dropped. A malformed script (an unterminated quote
   * or comment) fails with {@code INVALID_ARGUMENT} naming the offset.
   */
  List<String> splitScript(String script);
}

package io.hadb.cli.http;

import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Results in rqlite's shapes (DESIGN §11). */
final class ResultJson {
  private ResultJson() {}

  static Map<String, Object> exec(ExecResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("last_insert_id", r.lastInsertId());
    m.put("rows_affected", r.rowsAffected());
    return m;
  }

  /**
   * Columns, a type per column (the storage class of its first non-null value, as the engines
   * report values, not declared types) and the rows as arrays, or as objects when associative.
   */
  static Map<String, Object> query(QueryResult r, boolean associative) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> columns = r.columns();
    List<String> types = new ArrayList<>(columns.size());
    for (int c = 0; c < columns.size(); c++) {
      String t = "null";
      for (List<SqlValue> row : r.rows()) {
        if (!(row.get(c) instanceof SqlValue.Null)) {
          t = type(row.get(c));
          break;
        }
      }
      types.add(t);
    }
    if (associative) {
      Map<String, String> typeMap = new LinkedHashMap<>();
      for (int c = 0; c < columns.size(); c++) {
        typeMap.put(columns.get(c), types.get(c));
      }
      m.put("types", typeMap);
      List<Map<String, Object>> rows = new ArrayList<>(r.rows().size());
      for (List<SqlValue> row : r.rows()) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
          o.put(columns.get(c), plain(row.get(c)));
        }
        rows.add(o);
      }
      m.put("rows", rows);
      return m;
    }
    m.put("columns", columns);
    m.put("types", types);
    List<List<Object>> values = new ArrayList<>(r.rows().size());
    for (List<SqlValue> row : r.rows()) {
      List<Object> out = new ArrayList<>(row.size());
      for (SqlValue v : row) {
        out.add(plain(v));
      }
      values.add(out);
    }
    if (!values.isEmpty()) {
      m.put("values", values); // rqlite leaves "values" out of an empty result
    }
    return m;
  }

  private static String type(SqlValue v) {
    if (v instanceof SqlValue.Int) {
      return "integer";
    }
    if (v instanceof SqlValue.Real) {
      return "real";
    }
    if (v instanceof SqlValue.Text) {
      return "text";
    }
    return "blob";
  }

  /** A cell as JSON: numbers, strings, null, and blobs as base64 strings. */
  private static Object plain(SqlValue v) {
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return r.value();
    }
    if (v instanceof SqlValue.Text t) {
      return t.value();
    }
    if (v instanceof SqlValue.Blob b) {
      return b.value();
    }
    return null;
  }
}

package org.cairndb.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQL of one schema and layout, read from the commented {@code .sql} resources in
 * {@code org/cairndb/postgres/sql}: a statement starts at a line {@code -- :name key} and runs
 * to the next one; {@code {s}} stands for the quoted schema name. Keeping SQL in files keeps
 * the reasons for lock order and index choices beside the statements.
 */
final class Sql {
    private final Map<String, String> statements = new HashMap<>();
    private final String quotedSchema;

    Sql(String schema, String layoutFile) {
        this.quotedSchema = quote(schema);
        parse("statements-common.sql");
        parse(layoutFile);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    String schema() {
        return quotedSchema;
    }

    /** The statement named {@code key}. */
    String get(String key) {
        String s = statements.get(key);
        if (s == null)
            throw new IllegalStateException("no SQL statement named '" + key + "' (a bug in storage-postgres)");
        return s;
    }

    boolean has(String key) {
        return statements.containsKey(key);
    }

    /**
     * Binds {@code values} to every parameter of {@code ps} (prepared from {@code statement}),
     * repeating them in order: a statement that needs a value twice (a layout's variant of a
     * common one) lists its parameters as the same cycle.
     */
    static void bindCycling(java.sql.PreparedStatement ps, String statement, long... values)
            throws java.sql.SQLException {
        int n = (int) statement.chars().filter(ch -> ch == '?').count();
        for (int i = 0; i < n; i++) ps.setLong(i + 1, values[i % values.length]);
    }

    /** A whole script (schema files), with {@code {s}} replaced. */
    String script(String file) {
        return read(file).replace("{s}", quotedSchema);
    }

    private void parse(String file) {
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : read(file).split("\n")) {
            String t = line.strip();
            if (t.startsWith("-- :name ")) {
                if (name != null) put(name, body);
                name = t.substring("-- :name ".length()).strip();
                body.setLength(0);
            } else if (name != null && !t.startsWith("--") && !t.isEmpty()) {
                body.append(line).append('\n');
            }
        }
        if (name != null) put(name, body);
    }

    private void put(String name, StringBuilder body) {
        String sql = body.toString().strip();
        if (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1);
        statements.put(name, sql.replace("{s}", quotedSchema));
    }

    private static String read(String file) {
        try (InputStream in = Sql.class.getResourceAsStream("sql/" + file)) {
            if (in == null)
                throw new IllegalStateException(
                        "SQL resource org/cairndb/postgres/sql/" + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL resource " + file, e);
        }
    }
}

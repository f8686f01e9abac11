package org.cairndb.server.cli;

import java.nio.file.Path;
import org.cairndb.storage.uri.Secrets;

/** A secret given on the command line, in a file or in an environment variable: at most one of them. */
final class SecretOptions {
    private SecretOptions() {}

    /** The secret, or null when none of the three is given. */
    static String one(
            String what, String value, String valueOption, Path file, String fileOption, String env, String envOption) {
        int given = (value != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException(what + " is given more than once; use one of "
                    + (valueOption == null ? "" : valueOption + ", ") + fileOption + " and " + envOption);
        }
        if (file != null) return Secrets.fromFile(file, fileOption);
        if (env != null) return Secrets.fromEnv(env, envOption);
        if (value != null && valueOption != null && !"--tls-password".equals(valueOption)) {
            return Secrets.nonBlank(value, valueOption + " is empty (or only whitespace); give the secret");
        }
        return value;
    }
}

package org.cairndb.storage.uri;

import java.util.Set;
import org.cairndb.storage.Storage;

/**
 * Opens storages for some URI schemes. Register an implementation in
 * {@code META-INF/services/org.cairndb.storage.uri.StorageProvider}; a storage module plugs
 * in by being on the class path.
 */
public interface StorageProvider {

    /** The schemes this provider opens, lower case, e.g. {@code mem}. */
    Set<String> schemes();

    /** One line for error messages and help: the URI forms and parameters it takes. */
    String usage();

    /** Opens the storage. Bad parameters throw {@link InvalidStorageUriException}. */
    Storage open(StorageUri uri);
}

@NullMarked
package org.cairndb.storage.uri;

import org.jspecify.annotations.NullMarked;

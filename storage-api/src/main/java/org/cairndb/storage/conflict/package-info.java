@NullMarked
package org.cairndb.storage.conflict;

import org.jspecify.annotations.NullMarked;

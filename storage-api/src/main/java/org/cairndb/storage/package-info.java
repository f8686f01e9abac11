@NullMarked
package org.cairndb.storage;

import org.jspecify.annotations.NullMarked;

@NullMarked
package org.cairndb.storage.spi;

import org.jspecify.annotations.NullMarked;

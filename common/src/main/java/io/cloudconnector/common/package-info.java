/** Shared messaging, AWS, security and web support for the connector's services. */
@NullMarked
package io.cloudconnector.common;

import org.jspecify.annotations.NullMarked;

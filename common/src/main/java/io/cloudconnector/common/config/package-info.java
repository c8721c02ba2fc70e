/** Auto-configuration that gives every service its AWS clients, table, messaging and security. */
@NullMarked
package io.cloudconnector.common.config;

import org.jspecify.annotations.NullMarked;

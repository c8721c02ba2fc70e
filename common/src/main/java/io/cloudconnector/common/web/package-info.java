/** The HTTP API's shared parts: RFC 9457 problem details, API exceptions, pagination. */
@NullMarked
package io.cloudconnector.common.web;

import org.jspecify.annotations.NullMarked;

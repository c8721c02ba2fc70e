/**
 * Account checks: what in the account would break protection (region, vault networks and their routes to
 * AWS, KMS keys, bucket settings, the connector's tables, queues and bus, dead letters, Batch compute),
 * run on request ({@code POST /v1/integrity/checks}) and daily, stored as {@code account} reports.
 */
@NullMarked
package io.cloudconnector.integrity.check;

import org.jspecify.annotations.NullMarked;

/**
 * The ScaleZ server and its client: one server per active vault is the single writer of the vault's repository
 * and owner of its dedup index; backups hash locally, ask which chunks it lacks and send only those, sealed.
 * The protocol is in {@code docs/scalez-server.md}.
 */
@NullMarked
package io.cloudconnector.scalez.serve;

import org.jspecify.annotations.NullMarked;

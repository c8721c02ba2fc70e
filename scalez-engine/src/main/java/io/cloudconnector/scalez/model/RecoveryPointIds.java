package io.cloudconnector.scalez.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Recovery-point ids: {@code rp-} and a ULID (48-bit millisecond time, 80 random bits, 26 Crockford
 * base32 digits), so that ids sort by creation time. The engine cannot use common's generator.
 */
public final class RecoveryPointIds {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern VALID = Pattern.compile("rp-[0-7][0-9A-HJKMNP-TV-Z]{25}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryPointIds() {}

    /** A new id for the clock's current time. */
    public static String next(Clock clock) {
        var random = new byte[10];
        RANDOM.nextBytes(random);
        return "rp-" + ulid(clock.millis(), random);
    }

    static String ulid(long millis, byte[] random) {
        var out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 base32 digits, taken 5 bits at a time from the most significant end.
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = high << 8 | (random[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = low << 8 | (random[i] & 0xff);
        }
        for (int i = 0; i < 8; i++) {
            out[17 - i] = CROCKFORD[(int) (high & 31)];
            high >>>= 5;
            out[25 - i] = CROCKFORD[(int) (low & 31)];
            low >>>= 5;
        }
        return new String(out);
    }

    /** Whether {@code id} is a well-formed recovery-point id. */
    public static boolean isValid(String id) {
        return VALID.matcher(id).matches();
    }
}

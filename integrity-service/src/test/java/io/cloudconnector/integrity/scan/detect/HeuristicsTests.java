package io.cloudconnector.integrity.scan.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeuristicsTests {

    private static double entropyOf(byte[] bytes) {
        var histogram = new long[256];
        for (byte b : bytes) {
            histogram[b & 0xFF]++;
        }
        return Heuristics.entropy(histogram, bytes.length);
    }

    private static byte[] random(int size) {
        var bytes = new byte[size];
        new Random(5).nextBytes(bytes);
        return bytes;
    }

    @Test
    void entropyIsZeroForOneValueAndNearEightForRandomBytes() {
        assertThat(entropyOf(new byte[10_000])).isZero();
        assertThat(entropyOf(random(1 << 20))).isGreaterThan(7.99);
        assertThat(entropyOf("the quick brown fox jumps over the lazy dog "
                        .repeat(500)
                        .getBytes(StandardCharsets.UTF_8)))
                .isBetween(3.5, 4.5);
    }

    @ParameterizedTest
    @CsvSource({
        "report.pdf, %PDF-1.7, false",
        "report.pdf, xyz, true",
        "photo.JPG, xyz, true",
        "book.docx, 'PK\u0003\u0004', false",
        "notes.txt, anything, false",
        "noextension, anything, false"
    })
    void magicNumbersMustMatchWhatTheExtensionPromises(String name, String head, boolean mismatch) {
        assertThat(Heuristics.magicMismatch(name, head.getBytes(StandardCharsets.ISO_8859_1))
                        .isPresent())
                .isEqualTo(mismatch);
    }

    @ParameterizedTest
    @CsvSource({
        "HOW_TO_DECRYPT.txt, true",
        "README_FOR_DECRYPT.txt, true",
        "_readme.txt, true",
        "!!!READ_ME_TO_RESTORE_FILES!!!.html, true",
        "restore-my-files.txt, true",
        "README.md, false",
        "readme.txt, false",
        "decrypt.py, false",
        "how_to_decrypt.exe, false"
    })
    void ransomNoteNames(String name, boolean note) {
        assertThat(Heuristics.ransomNoteName(name)).isEqualTo(note);
    }

    @Test
    void ransomwareExtensionsAreDistinctiveOnesOnly() {
        assertThat(Heuristics.ransomExtension("budget.xlsx.lockbit")).contains(".lockbit");
        assertThat(Heuristics.ransomExtension("budget.xlsx.WNCRY")).contains(".wncry");
        assertThat(Heuristics.ransomExtension("archive.enc")).isEmpty();
        assertThat(Heuristics.ransomExtension("budget.xlsx")).isEmpty();
    }

    @Test
    void aFileLooksEncryptedWhenRandomWhereItsTypePromisesOtherwise() {
        var noise = random(64 * 1024);
        double high = entropyOf(noise);
        assertThat(Heuristics.looksEncrypted("minutes.txt", noise.length, high, noise))
                .isTrue();
        assertThat(Heuristics.looksEncrypted("scan.pdf", noise.length, high, noise))
                .isTrue();
        // Compressed formats are random inside; their magic number says they are fine.
        var zip = noise.clone();
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 3;
        zip[3] = 4;
        assertThat(Heuristics.looksEncrypted("book.docx", zip.length, high, zip))
                .isFalse();
        assertThat(Heuristics.looksEncrypted("blob.bin", noise.length, high, noise))
                .isFalse();
        assertThat(Heuristics.looksEncrypted("tiny.txt", 100, high, noise)).isFalse();
    }
}

/*
 * The connector's own YARA rules. Tags say what a match means to the verdict:
 * malware -> infected; ransom_note -> a ransomware sign.
 */

rule CloudConnector_EICAR : malware
{
    meta:
        description = "The EICAR anti-virus test file"
    strings:
        $eicar = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
    condition:
        $eicar in (0..128)
}

rule CloudConnector_Test_Implant : malware
{
    meta:
        description = "The connector's YARA test implant (tests plant it to prove this engine runs)"
    strings:
        $a = "cc-yara-test-implant" ascii wide
        $b = "beacon-interval=" ascii
    condition:
        all of them
}

rule Webshell_PHP_Eval_Request : malware
{
    meta:
        description = "PHP that evaluates code sent in a request, the core of most PHP web shells"
    strings:
        $php = "<?php" nocase
        $eval = /(eval|assert)\s*\(\s*(base64_decode|gzinflate|str_rot13)?\s*\(?\s*\$_(POST|GET|REQUEST|COOKIE)\s*\[/ nocase
    condition:
        $php and $eval
}

rule Ransom_Note_Text : ransom_note
{
    meta:
        description = "Text telling the reader their files were encrypted and how to pay for a decryptor"
    strings:
        $enc1 = "your files have been encrypted" nocase ascii wide
        $enc2 = "all your files are encrypted" nocase ascii wide
        $enc3 = "your files are encrypted" nocase ascii wide
        $enc4 = "your network has been penetrated" nocase ascii wide
        $pay1 = "bitcoin" nocase ascii wide
        $pay2 = "decryptor" nocase ascii wide
        $pay3 = ".onion" nocase ascii wide
        $pay4 = "tor browser" nocase ascii wide
        $pay5 = "private key" nocase ascii wide
    condition:
        filesize < 1MB and any of ($enc*) and any of ($pay*)
}

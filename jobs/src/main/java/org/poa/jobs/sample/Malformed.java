package org.poa.jobs.sample;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ways a real feed goes wrong, applied to a good JSON line. */
final class Malformed {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern WEI = Pattern.compile("\"(fee_wei|fee_per_call_wei)\":\"[0-9]+\"");
    private static final Pattern TIME = Pattern.compile("\"(ts|submitted_at|voted_at)\":\"[^\"]+\"");

    private Malformed() {
    }

    static byte[] spoil(String json, SplittableRandom random) {
        String bad = switch (random.nextInt(8)) {
            case 0 -> json.substring(0, json.length() / 2);                 // truncated: malformed_json
            case 1 -> replaceFirst(json, ADDRESS, "0x12345");               // bad_address
            case 2 -> flipCase(json);                                        // bad_checksum
            case 3 -> json.replaceFirst("\"[a-z_]+\":(\"[^\"]*\"|[0-9.]+|true|false),", "");   // missing_field
            case 4 -> replaceFirst(json, TIME, "\"ts\":\"yesterday\"");   // bad_timestamp or missing field
            case 5 -> replaceFirst(json, WEI, "\"fee_wei\":\"-5\"");        // bad_wei (or missing field)
            case 6 -> unknownReference(json);
            default -> null;                                                  // invalid UTF-8
        };
        if (bad == null) {
            byte[] good = json.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[good.length + 2];
            int at = good.length / 2;
            System.arraycopy(good, 0, out, 0, at);
            out[at] = (byte) 0xC3;
            out[at + 1] = (byte) 0x28;
            System.arraycopy(good, at, out, at + 2, good.length - at);
            return out;
        }
        return bad.getBytes(StandardCharsets.UTF_8);
    }

    /** Points the row at a datanet, model or contribution that does not exist. */
    private static String unknownReference(String json) {
        String out = json.replace("\"model_id\":\"", "\"model_id\":\"ghost-")
                .replace("\"datanet_id\":\"", "\"datanet_id\":\"ghost-")
                .replace("\"contribution_id\":\"0x", "\"contribution_id\":\"0x00000000");
        if (out.contains("\"contribution_id\":\"0x00000000")) {
            out = out.replaceFirst("(\"contribution_id\":\"0x[0-9a-f]{64})[0-9a-f]{8}", "$1");
        }
        return out.equals(json) ? json.substring(1) : out;
    }

    private static String replaceFirst(String json, Pattern pattern, String replacement) {
        Matcher m = pattern.matcher(json);
        return m.find() ? json.substring(0, m.start()) + replacement + json.substring(m.end()) : json.substring(1);
    }

    /** Changes the case of one letter of the first mixed-case address, so its EIP-55 checksum fails. */
    private static String flipCase(String json) {
        Matcher m = ADDRESS.matcher(json);
        if (!m.find()) {
            return json.substring(1);
        }
        char[] chars = json.toCharArray();
        for (int i = m.start() + 2; i < m.end(); i++) {
            if (Character.isLetter(chars[i])) {
                chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
                break;
            }
        }
        return new String(chars);
    }
}

package com.powerwatch.platform.auth;

import com.powerwatch.platform.api.ApiException;

import java.util.regex.Pattern;

/**
 * A user's own phone and e-mail (optional), checked and normalised before they are stored. The SMS and e-mail
 * channels use them to reach the user (docs/alarms.md §6). Personal data: callers never log the values.
 */
public record ContactDetails(String phone, String email) {

    /** Mainland mobile: 11 digits, 13x–19x (the prefixes in use); the SMS channels text only these. */
    static final Pattern MOBILE = Pattern.compile("1[3-9][0-9]{9}");
    /** Landline with its area code (010, 029, 0917 …), an optional hyphen, 7–8 digits, an optional extension. */
    static final Pattern LANDLINE = Pattern.compile("0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    /** Both checked; blank = none. Throws a 400 naming the field. */
    public static ContactDetails of(String phone, String email) {
        return new ContactDetails(phone(phone), email(email));
    }

    /** Whether {@code phone} (as stored) can receive an SMS. */
    public static boolean isMobile(String phone) {
        return phone != null && MOBILE.matcher(phone).matches();
    }

    static String phone(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // people type spaces ("138 0000 0000") and the country code; neither is stored
        String p = value.replaceAll("[\\s\\u3000]", "");
        if (p.startsWith("+86")) {
            p = p.substring(3);
        }
        if (p.startsWith("-")) {
            p = p.substring(1);
        }
        if (MOBILE.matcher(p).matches() || LANDLINE.matcher(p).matches()) {
            return p;
        }
        throw ApiException.badRequest("phone", "手机号须为11位大陆手机号（13–19开头，如 13800000000）"
                + "或带区号的座机号（如 029-88886666）");
    }

    static String email(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String e = value.trim();
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw ApiException.badRequest("email", "电子邮箱格式不正确，应如 name@example.gov.cn");
        }
        return e;
    }
}

package com.powerwatch.platform.device;

import com.powerwatch.platform.api.ApiException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses an old device without a password may send from: CIDR blocks ({@code 10.8.0.0/16}, a single
 * {@code 117.36.5.12}), IPv4 or IPv6. Parsed from literals only — a host name is refused, never looked up.
 */
public record AddressAllowList(List<Block> blocks) {

    public static final AddressAllowList NONE = new AddressAllowList(List.of());
    static final String FIELD = "allowedAddresses";

    record Block(byte[] network, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit += 8) {
                int bits = Math.min(8, prefix - bit);
                int mask = (0xff << (8 - bits)) & 0xff;
                if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        String text() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Entries as an operator typed them; 400 on {@code allowedAddresses} naming the bad one. Blocks are normalized. */
    public static AddressAllowList parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return NONE;
        }
        if (entries.size() > 100) {
            throw ApiException.badRequest(FIELD, "白名单最多 100 个地址段");
        }
        List<Block> out = new ArrayList<>(entries.size());
        for (String e : entries) {
            out.add(block(e == null ? "" : e.trim()));
        }
        return new AddressAllowList(List.copyOf(out));
    }

    /** From the stored, already normalized text (the registry and the snapshot file). */
    static AddressAllowList stored(List<String> entries) {
        try {
            return parse(entries);
        } catch (ApiException e) {
            return NONE; // cannot happen for rows the API wrote; a hand-edited bad row allows nothing
        }
    }

    private static Block block(String text) {
        String[] parts = text.split("/", -1);
        String literal = parts[0];
        boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(literal.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean v6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
        if (parts.length > 2 || !(v4 || v6)) {
            throw ApiException.badRequest(FIELD, "“" + text + "”不是 IP 地址或地址段（如 117.36.5.12 或 10.8.0.0/16）");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw ApiException.badRequest(FIELD, "“" + text + "”不是 IP 地址或地址段（如 117.36.5.12 或 10.8.0.0/16）");
        }
        if (v4 && address.length != 4) {
            throw ApiException.badRequest(FIELD, "“" + text + "”不是 IP 地址");
        }
        int max = address.length * 8;
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw ApiException.badRequest(FIELD, "“" + text + "”的前缀长度须为 0–" + max);
        }
        for (int bit = prefix; bit < max; bit++) { // the network address: host bits cleared
            address[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
        }
        return new Block(address, prefix);
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public List<String> texts() {
        return blocks.stream().map(Block::text).toList();
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}

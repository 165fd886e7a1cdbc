package com.powerwatch.platform.device;

/**
 * What the gateway does with a frame of a registered logger that does not carry the logger's password (no password
 * set, none sent, or a wrong one). A frame with the right password is always accepted.
 */
public enum AccessPolicy {
    /** accepted, with a warning in the raw-message trace: loggers registered before passwords, during the roll-out */
    WARN("告警放行"),
    /** accepted only from the logger's allowed addresses (old devices that cannot hold a password, on a fixed address) */
    ALLOWLIST("地址白名单"),
    /** refused: journaled and traced, never acked or applied */
    REJECT("拒收");

    private final String label;

    AccessPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

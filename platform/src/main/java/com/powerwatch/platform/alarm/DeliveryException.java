package com.powerwatch.platform.alarm;

/** A delivery the other side refused; {@code status} is its HTTP status (or null), kept in notification_log. */
class DeliveryException extends Exception {

    final Integer status;

    DeliveryException(Integer status, String message) {
        super(message);
        this.status = status;
    }
}

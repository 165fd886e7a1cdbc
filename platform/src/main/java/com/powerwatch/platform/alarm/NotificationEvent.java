package com.powerwatch.platform.alarm;

/** What happened to an alarm that may be worth a message. */
public enum NotificationEvent {
    OPENED("新报警"), ESCALATED("报警升级"), RECOVERED("报警恢复"), HANDLED("报警处理意见"), DISPATCHED("报警任务派发"),
    /** A periodic or scheduled report was generated for its subscribers (report module); no alarm behind it. */
    REPORT("定期报表"),
    /** A heavy-pollution-weather warning started or changed (emergency module); no alarm behind it. */
    EMERGENCY("重污染天气应急");

    private final String label;

    NotificationEvent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package com.powerwatch.hj212;

import java.util.Map;
import java.util.Optional;

/**
 * A device's answer to a server command: 9011 (QnRtn, "will I do it") or 9012 (ExeRtn, "did it work"),
 * matched to the command by QN.
 *
 * @param kind    which answer
 * @param qn      the QN of the command answered
 * @param code    the QnRtn / ExeRtn value, -1 when missing or not a number
 * @param meaning the code's meaning from the standard (Chinese, for operators)
 */
public record CommandAnswer(Kind kind, String qn, int code, String meaning) {

    public enum Kind {
        /** 9011: the request was accepted (QnRtn=1) or refused and why. */
        REQUEST_RESPONSE,
        /** 9012: the execution result. */
        EXECUTION_RESULT
    }

    private static final Map<Integer, String> QN_RTN = Map.of(1, "准备执行请求", 2, "请求被拒绝", 3, "PW错误",
            4, "MN错误", 5, "ST错误", 6, "Flag错误", 7, "QN错误", 8, "CN错误", 9, "CRC校验错误", 100, "未知错误");
    private static final Map<Integer, String> EXE_RTN = Map.of(1, "执行成功", 2, "执行失败，但不知道原因",
            3, "命令请求条件错误", 4, "通讯超时", 5, "系统繁忙不能执行", 6, "系统故障", 100, "没有数据");

    /** Reads a 9011 or 9012 packet; empty for any other CN. */
    public static Optional<CommandAnswer> of(Packet packet) {
        Kind kind;
        String key;
        Map<Integer, String> meanings;
        if (ServerCommands.CN_REQUEST_RESPONSE.equals(packet.cn())) {
            kind = Kind.REQUEST_RESPONSE;
            key = "QnRtn";
            meanings = QN_RTN;
        } else if (ServerCommands.CN_EXECUTION_RESULT.equals(packet.cn())) {
            kind = Kind.EXECUTION_RESULT;
            key = "ExeRtn";
            meanings = EXE_RTN;
        } else {
            return Optional.empty();
        }
        String text = packet.cp().params().get(key);
        int code;
        try {
            code = text == null ? -1 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            code = -1;
        }
        String meaning = code < 0 ? "无法识别的应答: " + key + "=" + text : meanings.getOrDefault(code, "未定义的代码 " + code);
        return Optional.of(new CommandAnswer(kind, packet.qn(), code, meaning));
    }

    /** QnRtn=1 (ready) or ExeRtn=1 (done). */
    public boolean success() {
        return code == 1;
    }
}

package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.CommandAnswer;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.hj212.ServerCommands;
import com.powerwatch.ingest.gateway.CommandExchange;
import com.powerwatch.ingest.gateway.DeviceSession;
import com.powerwatch.ingest.gateway.TcpGateway;
import com.powerwatch.platform.api.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Server commands to a connected data logger ({@code POST /api/ingest/devices/{mn}/commands}): set its
 * clock, set its upload intervals, or ask it to re-send history for a time range — the way to back-fill
 * a gap after an outage. The answer carries the device's 9011 and 9012 replies (the command with its PW masked).
 * Errors in the common shape ({@link com.powerwatch.platform.api.ApiErrors}): 409 {@code DEVICE_OFFLINE}, 400 naming
 * the field.
 */
@RestController
@RequestMapping("/api/ingest/devices/{mn}/commands")
public class DeviceCommandController {

    private final TcpGateway gateway;

    public DeviceCommandController(TcpGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * A command request.
     *
     * @param type    {@code set-time}, {@code set-realtime-interval}, {@code set-minute-interval} or {@code history}
     * @param cn      for {@code history}: 2031 daily, 2041 running time, 2051 minute, 2061 hourly
     * @param begin   for {@code history}: start of the range (China local time)
     * @param end     for {@code history}: end of the range
     * @param seconds for {@code set-realtime-interval}
     * @param minutes for {@code set-minute-interval}
     */
    public record CommandRequest(String type, String cn, LocalDateTime begin, LocalDateTime end, Integer seconds,
                                 Integer minutes) {
    }

    @PostMapping
    public Map<String, Object> send(@PathVariable String mn, @RequestBody CommandRequest request)
            throws InterruptedException {
        DeviceSession session = gateway.session(mn);
        if (session == null || !session.online() || session.target() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "DEVICE_OFFLINE", "数采仪 " + mn + " 未连接，指令只能发给在线的数采仪");
        }
        ServerCommands.Target target = session.target();
        String qn = gateway.nextQn();
        if (request == null || request.type() == null) {
            throw ApiException.badRequest("type", "请选择指令类型：" + TYPES);
        }
        Packet command = switch (request.type()) {
            case "set-time" -> ServerCommands.setTime(target, qn, null, LocalDateTime.now(QnGenerator.CHINA));
            case "set-realtime-interval" -> ServerCommands.setRealtimeInterval(target, qn,
                    within(required(request.seconds(), "seconds", "实时数据间隔（秒）"), 1, 3600, "seconds", "实时数据间隔（秒）"));
            case "set-minute-interval" -> ServerCommands.setMinuteInterval(target, qn,
                    within(required(request.minutes(), "minutes", "分钟数据间隔（分钟）"), 1, 60, "minutes", "分钟数据间隔（分钟）"));
            case "history" -> history(target, qn, request);
            default -> throw ApiException.badRequest("type", "未知的指令类型“" + request.type() + "”，可选：" + TYPES);
        };
        CommandExchange exchange = gateway.sendCommand(mn, command);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("qn", qn);
        out.put("command", PasswordMask.apply(command.toDataSegment()));
        out.put("accepted", answer(exchange.accepted()));
        out.put("executed", answer(exchange.executed()));
        return out;
    }

    private static final String TYPES = "set-time（校时）、set-realtime-interval（实时数据间隔）、set-minute-interval（分钟数据间隔）、history（补数）";

    private static Packet history(ServerCommands.Target target, String qn, CommandRequest r) {
        String cn = required(r.cn(), "cn", "数据类型");
        if (!ServerCommands.HISTORY_CNS.contains(cn)) {
            throw ApiException.badRequest("cn", "数据类型 cn 须为 2051（分钟）、2061（小时）、2031（日）或 2041（运行时间）");
        }
        LocalDateTime begin = required(r.begin(), "begin", "开始时间");
        LocalDateTime end = required(r.end(), "end", "结束时间");
        if (!begin.isBefore(end)) {
            throw ApiException.badRequest("end", "结束时间须晚于开始时间");
        }
        return ServerCommands.requestHistory(target, qn, cn, begin, end);
    }

    /** The device's 9011 / 9012 answer, or why there is none (in words for the operator). */
    private static Object answer(java.util.concurrent.CompletableFuture<CommandAnswer> f) throws InterruptedException {
        try {
            CommandAnswer a = f.get(60, TimeUnit.SECONDS);
            return Map.of("code", a.code(), "meaning", a.meaning(), "success", a.success());
        } catch (ExecutionException e) {
            return Map.of("error", failure(e.getCause()));
        } catch (TimeoutException e) {
            return Map.of("error", "60 秒内没有应答");
        }
    }

    /** The gateway's reasons ({@link com.powerwatch.ingest.gateway.TcpGateway#sendCommand}) in Chinese. */
    static String failure(Throwable cause) {
        String text = String.valueOf(cause.getMessage());
        if (text.startsWith("device refused: ")) {
            return "数采仪拒绝执行：" + text.substring("device refused: ".length());
        }
        if (text.startsWith("no answer from ")) {
            return "数采仪在规定时间内没有应答";
        }
        if (text.endsWith("is not connected")) {
            return "数采仪未连接";
        }
        return "指令未完成";
    }

    private static <T> T required(T value, String field, String name) {
        if (value == null) {
            throw ApiException.badRequest(field, name + "（" + field + "）是该指令的必填项");
        }
        return value;
    }

    private static int within(int value, int min, int max, String field, String name) {
        if (value < min || value > max) {
            throw ApiException.badRequest(field, name + "须为 " + min + "–" + max);
        }
        return value;
    }
}

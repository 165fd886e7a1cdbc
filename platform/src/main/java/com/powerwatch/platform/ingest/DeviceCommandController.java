package com.powerwatch.platform.ingest;

import com.powerwatch.hj212.CommandAnswer;
import com.powerwatch.hj212.Packet;
import com.powerwatch.hj212.QnGenerator;
import com.powerwatch.hj212.ServerCommands;
import com.powerwatch.ingest.gateway.CommandExchange;
import com.powerwatch.ingest.gateway.DeviceSession;
import com.powerwatch.ingest.gateway.TcpGateway;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
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
 * a gap after an outage. The answer carries the device's 9011 and 9012 replies.
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
            throw new DeviceOffline("data logger " + mn + " is not connected");
        }
        ServerCommands.Target target = session.target();
        String qn = gateway.nextQn();
        if (request.type() == null) {
            throw new IllegalArgumentException("type is required: set-time, set-realtime-interval, set-minute-interval, history");
        }
        Packet command = switch (request.type()) {
            case "set-time" -> ServerCommands.setTime(target, qn, null, LocalDateTime.now(QnGenerator.CHINA));
            case "set-realtime-interval" -> ServerCommands.setRealtimeInterval(target, qn, required(request.seconds(), "seconds"));
            case "set-minute-interval" -> ServerCommands.setMinuteInterval(target, qn, required(request.minutes(), "minutes"));
            case "history" -> ServerCommands.requestHistory(target, qn, required(request.cn(), "cn"),
                    required(request.begin(), "begin"), required(request.end(), "end"));
            default -> throw new IllegalArgumentException("unknown type '" + request.type()
                    + "' (set-time, set-realtime-interval, set-minute-interval, history)");
        };
        CommandExchange exchange = gateway.sendCommand(mn, command);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("qn", qn);
        out.put("command", command.toDataSegment());
        out.put("accepted", answer(exchange.accepted()));
        out.put("executed", answer(exchange.executed()));
        return out;
    }

    private static Object answer(java.util.concurrent.CompletableFuture<CommandAnswer> f) throws InterruptedException {
        try {
            CommandAnswer a = f.get(60, TimeUnit.SECONDS);
            return Map.of("code", a.code(), "meaning", a.meaning(), "success", a.success());
        } catch (ExecutionException e) {
            return Map.of("error", e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Map.of("error", "no answer within 60 s");
        }
    }

    private static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required for this command");
        }
        return value;
    }

    static final class DeviceOffline extends RuntimeException {
        DeviceOffline(String message) {
            super(message);
        }
    }

    @ExceptionHandler(DeviceOffline.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    public Map<String, String> offline(DeviceOffline e) {
        return Map.of("error", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public Map<String, String> badRequest(IllegalArgumentException e) {
        return Map.of("error", e.getMessage());
    }
}

package com.powerwatch.ingest.gateway;

import com.powerwatch.hj212.CommandAnswer;
import com.powerwatch.hj212.Packet;

import java.util.concurrent.CompletableFuture;

/**
 * A server command in flight, matched to the device's answers by QN: {@link #accepted} completes with
 * the 9011 (QnRtn), {@link #executed} with the 9012 (ExeRtn). Data the device uploads in between
 * (e.g. history for a back-fill) goes through the normal ingest path.
 */
public record CommandExchange(Packet command, CompletableFuture<CommandAnswer> accepted,
                              CompletableFuture<CommandAnswer> executed) {

    static CommandExchange of(Packet command) {
        return new CommandExchange(command, new CompletableFuture<>(), new CompletableFuture<>());
    }
}

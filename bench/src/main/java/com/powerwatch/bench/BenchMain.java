package com.powerwatch.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

/**
 * Runs the micro benchmarks and prints each figure next to its target.
 * {@code java -jar bench/target/benchmarks.jar} runs them all; any argument is passed to JMH instead
 * (e.g. {@code -h}, or a benchmark name pattern with JMH's own options).
 */
public final class BenchMain {

    private static final double DECODE_TARGET = 300_000;

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder()
                .include(Hj212DecodeBenchmark.class.getSimpleName())
                .forks(1)
                .threads(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("== PowerWatch micro benchmarks (" + Runtime.getRuntime().availableProcessors()
                + " cores visible, 1 benchmark thread) ==");
        for (RunResult r : results) {
            String sample = r.getParams().getParam("sample");
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            System.out.printf("hj212 decode, sample %s from a stream: %,.0f frames/s (± %,.0f) | target >= %,.0f | ratio %.2f%n",
                    sample, score, error, DECODE_TARGET, score / DECODE_TARGET);
        }
    }

    private BenchMain() {
    }
}

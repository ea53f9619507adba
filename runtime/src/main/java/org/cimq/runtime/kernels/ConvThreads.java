package org.cimq.runtime.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the tasks of one {@link JavaConv2d} call on the calling thread plus helper threads, as
 * many threads in all as ND4J's per-op thread count ({@code Environment.maxMasterThreads}, which
 * {@code Nd4jThreads} sets). Threads take the next task from a shared counter, so a thread the OS
 * preempts delays only its current task and the others take over the rest. A helper that has
 * not started when the calling thread runs out of tasks is claimed by the caller (it then does
 * nothing), so the caller waits only for helpers that are running.
 */
final class ConvThreads {
    private static ExecutorService helpers;
    private static int helperCount;

    private ConvThreads() {
    }

    /** Runs {@code work.accept(state, task)} for every task in [0, tasks); one state per thread. */
    static <S> void run(int tasks, Supplier<S> state, TaskBody<S> work) {
        int threads = Math.min(tasks, Math.max(1, Nd4j.getEnvironment().maxMasterThreads()));
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            S st = state.get();
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                work.run(st, t);
            }
        };
        if (threads <= 1) {
            loop.run();
            return;
        }
        ExecutorService pool = pool(threads - 1);
        Future<?>[] helpersRun = new Future<?>[threads - 1];
        AtomicBoolean[] claimed = new AtomicBoolean[threads - 1];
        for (int i = 0; i < helpersRun.length; i++) {
            AtomicBoolean mine = new AtomicBoolean();
            claimed[i] = mine;
            helpersRun[i] = pool.submit(() -> {
                if (mine.compareAndSet(false, true)) {
                    loop.run();
                }
            });
        }
        Throwable failure = null;
        try {
            loop.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(tasks);
        }
        for (int i = 0; i < helpersRun.length; i++) {
            if (claimed[i].compareAndSet(false, true)) {
                continue;
            }
            try {
                helpersRun[i].get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("convolution helper thread failed", failure);
        }
    }

    private static synchronized ExecutorService pool(int count) {
        if (helpers == null || helperCount != count) {
            if (helpers != null) {
                helpers.shutdown();
            }
            AtomicInteger id = new AtomicInteger();
            helpers = Executors.newFixedThreadPool(count, r -> {
                Thread t = new Thread(r, "cimq-conv-" + id.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            helperCount = count;
        }
        return helpers;
    }

    /** One task's work, given the thread's state. */
    @FunctionalInterface
    interface TaskBody<S> {
        void run(S state, int task);
    }
}

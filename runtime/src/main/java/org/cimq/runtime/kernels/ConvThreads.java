package org.cimq.runtime.kernels;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs the tasks of one {@link BatchSplitConv2d} call on the calling thread plus
 * {@code threads − 1} helper threads, each with OpenMP limited to one thread for the duration
 * (OpenMP's thread count is per calling thread, so this leaves other threads' ops alone).
 * Threads take the next task from a shared counter: a thread the OS preempts delays only its
 * current task and the others take over the rest, where an OpenMP barrier would wait for it. A
 * helper that has not started when the caller runs out of tasks is claimed by the caller (it
 * then does nothing), so the caller waits only for helpers that are running.
 */
final class ConvThreads {
    private static ExecutorService helpers;
    private static int helperCount;

    private ConvThreads() {
    }

    /** Runs {@code work.accept(task)} for every task in [0, tasks) on up to {@code threads} threads. */
    static void run(int tasks, int threads, IntConsumer work) {
        int used = Math.max(1, Math.min(tasks, threads));
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> singleThreadedOmp(() -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                work.accept(t);
            }
        });
        ExecutorService pool = used > 1 ? pool(used - 1) : null;
        Future<?>[] running = new Future<?>[used - 1];
        AtomicBoolean[] claimed = new AtomicBoolean[used - 1];
        for (int i = 0; i < running.length; i++) {
            AtomicBoolean mine = new AtomicBoolean();
            claimed[i] = mine;
            running[i] = pool.submit(() -> {
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
        for (int i = 0; i < running.length; i++) {
            if (claimed[i].compareAndSet(false, true)) {
                continue;
            }
            try {
                running[i].get();
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

    /** Runs {@code body} with this thread's OpenMP thread count at 1, restoring it afterwards. */
    private static void singleThreadedOmp(Runnable body) {
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(1);
        try {
            body.run();
        } finally {
            ops.setOmpNumThreads(before);
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
}

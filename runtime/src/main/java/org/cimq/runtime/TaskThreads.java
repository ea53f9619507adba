package org.cimq.runtime;

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
 * Runs the tasks of one call (the image chunks of a convolution, {@code kernels.NativeConv} and
 * {@code kernels.BatchSplitConv2d}; the parts of a batch, {@link BatchParallelExecutor}) on the calling thread plus
 * {@code threads − 1} helper threads, each with OpenMP limited to one thread for the duration
 * (OpenMP's thread count is per calling thread, so this leaves other threads' ops alone).
 * Threads take the next task from a shared counter: a thread the OS preempts delays only its
 * current task and the others take over the rest, where an OpenMP barrier would wait for it. A
 * helper that has not started when the caller runs out of tasks is claimed by the caller (it
 * then does nothing), so the caller waits only for helpers that are running.
 */
public final class TaskThreads {
    private static ExecutorService helpers;
    private static int helperCount;

    private TaskThreads() {
    }

    /** Runs {@code work.accept(task)} for every task in [0, tasks) on up to {@code threads} threads. */
    public static void run(int tasks, int threads, IntConsumer work) {
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
        rethrow(awaitHelpers(running, claimed, failure));
    }

    /**
     * Runs {@code work.accept(task)} for every task in [0, tasks): task 0 on the calling thread, the others handed
     * to the {@code tasks − 1} helper threads (a helper that finishes early may take a second one). With two tasks,
     * task 1 always runs on the one helper: where a task keeps state between calls (a batch part's executor and its
     * arrays), it stays in one core's caches.
     */
    public static void runEach(int tasks, IntConsumer work) {
        if (tasks < 1) {
            return;
        }
        ExecutorService pool = tasks > 1 ? pool(tasks - 1) : null;
        Future<?>[] running = new Future<?>[tasks - 1];
        for (int i = 1; i < tasks; i++) {
            int task = i;
            running[i - 1] = pool.submit(() -> singleThreadedOmp(() -> work.accept(task)));
        }
        Throwable failure = null;
        try {
            singleThreadedOmp(() -> work.accept(0));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        rethrow(awaitHelpers(running, null, failure));
    }

    /**
     * Waits for every helper that runs (a helper the caller can still claim, {@code claimed} not null, is claimed
     * instead); returns the first failure, {@code failure} if there was one already.
     */
    private static Throwable awaitHelpers(Future<?>[] running, AtomicBoolean[] claimed, Throwable failure) {
        for (int i = 0; i < running.length; i++) {
            if (claimed != null && claimed[i].compareAndSet(false, true)) {
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
        return failure;
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("helper thread failed", failure);
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
                Thread t = new Thread(r, "cimq-task-" + id.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            helperCount = count;
        }
        return helpers;
    }
}

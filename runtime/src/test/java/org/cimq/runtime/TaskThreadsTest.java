package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class TaskThreadsTest {
    @Test
    void everyTaskRunsExactlyOnceAndIsDoneOnReturn() {
        for (int threads : new int[] {1, 2, 3}) {
            for (int tasks : new int[] {1, 2, 7, 64}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                TaskThreads.run(tasks, threads, t -> {
                    Thread.onSpinWait();
                    runs.incrementAndGet(t);
                });
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, runs.get(t), "task " + t + " of " + tasks + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aFailingTaskFailsTheCall() {
        IllegalStateException boom = new IllegalStateException("boom");
        RuntimeException e = assertThrows(RuntimeException.class, () -> TaskThreads.run(8, 2, t -> {
            if (t == 5) {
                throw boom;
            }
        }));
        assertSame(boom, e);
    }

    @Test
    void tasksSeeOneOpenMpThreadAndTheCallerGetsItsCountBack() {
        Nd4j.create(1);
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        AtomicIntegerArray seen = new AtomicIntegerArray(4);
        TaskThreads.run(4, 2, t -> seen.set(t, ops.ompGetMaxThreads()));
        for (int t = 0; t < 4; t++) {
            assertEquals(1, seen.get(t), "task " + t);
        }
        assertEquals(before, ops.ompGetMaxThreads());
    }

    @Test
    void theOneThreadLimitStaysWithTheTaskThreads() throws InterruptedException {
        Nd4j.create(1);
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        AtomicIntegerArray other = new AtomicIntegerArray(1);
        TaskThreads.run(1, 1, t -> {
            Thread outside = new Thread(() -> other.set(0, ops.ompGetMaxThreads()));
            outside.start();
            try {
                outside.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(before, other.get(0), "a thread outside the call keeps the process's OpenMP thread count");
    }

    @Test
    void runEachRunsTaskZeroOnTheCallerAndTheOthersOnHelpers() {
        for (int tasks : new int[] {1, 2, 3}) {
            for (int round = 0; round < 3; round++) {
                Thread[] ran = new Thread[tasks];
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                TaskThreads.runEach(tasks, t -> {
                    ran[t] = Thread.currentThread();
                    runs.incrementAndGet(t);
                });
                assertSame(Thread.currentThread(), ran[0], "task 0 on the caller");
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, runs.get(t), "task " + t + " of " + tasks);
                    if (t > 0) {
                        assertNotSame(ran[0], ran[t], "task " + t + " on a helper");
                    }
                }
            }
        }
        Thread[] first = new Thread[2];
        TaskThreads.runEach(2, t -> first[t] = Thread.currentThread());
        Thread[] again = new Thread[2];
        TaskThreads.runEach(2, t -> again[t] = Thread.currentThread());
        assertSame(first[1], again[1], "with two tasks, task 1 stays on the one helper");
    }

    @Test
    void runEachFailsWithAFailingTask() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(RuntimeException.class, () -> TaskThreads.runEach(2, t -> {
            if (t == 1) {
                throw boom;
            }
        })));
        assertSame(boom, assertThrows(RuntimeException.class, () -> TaskThreads.runEach(2, t -> {
            if (t == 0) {
                throw boom;
            }
        })));
    }
}

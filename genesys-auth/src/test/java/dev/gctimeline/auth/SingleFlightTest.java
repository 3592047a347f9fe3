package dev.gctimeline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many threads, one request: counted at the server, repeated many times. */
class SingleFlightTest extends ProviderTestSupport {
    private static final int THREADS = 100;
    private static final int ITERATIONS = 40;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A reply that waits a little first, so that every caller is inside token() while it is in flight. */
    private static TokenServer.Reply slowToken(AtomicInteger serial, long lifetime) {
        return ex -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TokenServer.token(tok("n" + serial.incrementAndGet()), lifetime).handle(ex);
        };
    }

    /** Runs {@code call} on THREADS threads released together; returns what each got. */
    private <T> List<T> together(Function<Integer, T> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int k = i;
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return call.apply(k);
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void hundredThreadsWithoutATokenCauseExactlyOneRequest() throws Exception {
        AtomicInteger serial = new AtomicInteger();
        server.then(slowToken(serial, 86400));
        for (int i = 0; i < ITERATIONS; i++) {
            int before = server.requests();
            ClientCredentialsTokenProvider p = provider().build();
            List<AccessToken> got = together(k -> p.token());
            assertEquals(before + 1, server.requests(), "iteration " + i);
            assertEquals(1, got.stream().distinct().count(), "everyone shares the one token, iteration " + i);
        }
    }

    @Test
    void hundredThreadsWithAnExpiredTokenCauseExactlyOneRequest() throws Exception {
        AtomicInteger serial = new AtomicInteger();
        server.then(slowToken(serial, 300));
        ClientCredentialsTokenProvider p = provider().refreshAhead(1.0).build();
        AccessToken previous = p.token();
        for (int i = 0; i < ITERATIONS; i++) {
            clock.set(previous.expiresAt());
            int before = server.requests();
            List<AccessToken> got = together(k -> p.token());
            assertEquals(before + 1, server.requests(), "iteration " + i);
            assertEquals(1, got.stream().distinct().count());
            assertFalse(got.get(0).equals(previous));
            previous = got.get(0);
        }
    }

    @Test
    void refreshAheadUnderConcurrencyIsOneRequestOnABackgroundThread() throws Exception {
        AtomicInteger serial = new AtomicInteger();
        server.then(slowToken(serial, 300));
        for (int i = 0; i < 10; i++) {
            int before = server.requests();
            ClientCredentialsTokenProvider p = provider().refreshExecutor(r -> {
                Thread t = new Thread(r, "test-refresh");
                t.setDaemon(true);
                t.start();
            }).build();
            clock.set(T0);
            AccessToken first = p.token();
            clock.set(T0.plusSeconds(280)); // past 90%, not expired
            List<AccessToken> got = together(k -> p.token());
            awaitToken(p, t -> !t.equals(first));
            AccessToken second = p.token();
            // Early callers get the old token, late ones may already get the new one; nobody a third.
            assertTrue(got.stream().allMatch(t -> t.equals(first) || t.equals(second)), "iteration " + i);
            assertEquals(before + 2, server.requests(), "one refresh for a hundred callers, iteration " + i);
        }
    }

    /**
     * A thread with a valid token returns while the refresh is stuck at the server; a thread whose
     * token has expired joins that same refresh instead of starting another.
     */
    @Test
    void validTokenNeverWaitsForTheInFlightRefresh() throws Exception {
        CountDownLatch refreshArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.then(TokenServer.token(tok("a"), 300), ex -> {
            refreshArrived.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TokenServer.token(tok("b"), 300).handle(ex);
        });
        ClientCredentialsTokenProvider p = provider().refreshExecutor(r -> new Thread(r, "test-refresh").start()).build();
        try {
            AccessToken a = p.token();
            clock.set(T0.plusSeconds(285));
            assertEquals(a, p.token()); // starts the refresh and returns at once
            assertTrue(refreshArrived.await(10, TimeUnit.SECONDS));

            // While the refresh hangs at the server, every holder of the valid token is served.
            // (The release latch is still closed: were they waiting, these would never finish.)
            List<AccessToken> got = together(k -> p.token());
            assertTrue(got.stream().allMatch(a::equals));
            assertEquals(2, server.requests());

            // Once expired, a caller waits for the refresh already in flight, not a new one.
            clock.set(a.expiresAt());
            Future<AccessToken> waiting = pool.submit(p::token);
            Thread.sleep(50); // give it time to (wrongly) finish or start a request: neither may happen
            assertFalse(waiting.isDone());
            assertEquals(2, server.requests());
            release.countDown();
            assertEquals(tok("b"), waiting.get(10, TimeUnit.SECONDS).value());
            assertEquals(2, server.requests());
        } finally {
            release.countDown();
        }
    }

    @Test
    void manyConcurrentInvalidationsOfOneTokenCauseOneRefresh() throws Exception {
        AtomicInteger serial = new AtomicInteger();
        server.then(slowToken(serial, 86400));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken bad = p.token();
        for (int i = 0; i < ITERATIONS; i++) {
            int before = server.requests();
            AccessToken seenBad = bad;
            List<AccessToken> got = together(k -> {
                p.invalidate(seenBad); // the API said 401 to every thread holding it
                AccessToken fresh = p.token();
                p.invalidate(seenBad); // a late duplicate 401 for the old token: must not drop the new one
                AccessToken again = p.token();
                assertEquals(fresh, again);
                return again;
            });
            assertEquals(before + 1, server.requests(), "iteration " + i);
            assertEquals(1, got.stream().distinct().count());
            assertFalse(got.get(0).equals(bad));
            bad = got.get(0);
        }
    }

    @Test
    void invalidatingAStaleTokenDoesNothing() {
        server.then(TokenServer.token(tok("a"), 86400), TokenServer.token(tok("b"), 86400),
                TokenServer.token(tok("c"), 86400));
        ClientCredentialsTokenProvider p = provider().build();
        AccessToken a = p.token();
        p.invalidate(a);
        assertEquals(1, server.requests(), "invalidate itself makes no request");
        AccessToken b = p.token();
        assertEquals(tok("b"), b.value());
        assertEquals(2, server.requests());

        p.invalidate(a); // a late 401 for the old token
        p.invalidate(null);
        p.invalidate(new AccessToken(tok("never-issued"), T0.plusSeconds(60)));
        assertEquals(b, p.token());
        assertEquals(2, server.requests());
    }

    @Test
    void invalidateBeforeAnyTokenDoesNothing() {
        server.then(TokenServer.token(tok("a"), 86400));
        ClientCredentialsTokenProvider p = provider().build();
        p.invalidate(new AccessToken(tok("x"), T0));
        assertEquals(0, server.requests());
        assertEquals(tok("a"), p.token().value());
    }

    private static void awaitToken(TokenProvider p, java.util.function.Predicate<AccessToken> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.test(p.token())) {
            assertTrue(System.nanoTime() < deadline, "the background refresh never landed");
            Thread.sleep(1);
        }
    }

    /** Interrupting the thread that makes the request fails that thread only; others ask again. */
    @Test
    void interruptedRequesterDoesNotFailTheOtherWaiters() throws Exception {
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        server.then(ex -> {
            firstArrived.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, TokenServer.token(tok("b"), 86400));
        ClientCredentialsTokenProvider p = provider().build();
        Object[] requesterGot = new Object[2];
        Object[] waiterGot = new Object[1];
        Thread requester = new Thread(() -> {
            try {
                requesterGot[0] = p.token();
            } catch (GenesysAuthException e) {
                requesterGot[0] = e;
                requesterGot[1] = Thread.currentThread().isInterrupted();
            }
        });
        Thread waiter = new Thread(() -> {
            try {
                waiterGot[0] = p.token();
            } catch (RuntimeException e) {
                waiterGot[0] = e;
            }
        });
        try {
            requester.start();
            assertTrue(firstArrived.await(10, TimeUnit.SECONDS));
            waiter.start();
            // Wait until the second caller is parked on the shared flight, then stop the requester only.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiter.getState() != Thread.State.WAITING) {
                assertTrue(System.nanoTime() < deadline, "second caller never parked");
                Thread.sleep(1);
            }
            requester.interrupt();
            requester.join(10_000);
            waiter.join(10_000);
            assertTrue(requesterGot[0] instanceof GenesysAuthException, String.valueOf(requesterGot[0]));
            assertTrue(((GenesysAuthException) requesterGot[0]).getMessage().contains("Interrupted"));
            assertEquals(Boolean.TRUE, requesterGot[1], "the interrupt flag is kept");
            assertNoSecretInChain((GenesysAuthException) requesterGot[0]);
            assertTrue(waiterGot[0] instanceof AccessToken, String.valueOf(waiterGot[0]));
            assertEquals(tok("b"), ((AccessToken) waiterGot[0]).value());
            assertEquals(2, server.requests());
        } finally {
            never.countDown();
        }
    }
}

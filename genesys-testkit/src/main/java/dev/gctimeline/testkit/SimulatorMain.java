package dev.gctimeline.testkit;

import dev.gctimeline.testkit.internal.server.BuiltInFeed;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link GenesysCloudSimulator} on its own, for trying a client by hand or from another
 * process. It binds 127.0.0.1 only, prints its addresses, waits for the first WebSocket, plays the
 * feed at the chosen speed, prints the stats and keeps serving until interrupted.
 *
 * <pre>{@code java -p <module path> -m dev.gctimeline.testkit/dev.gctimeline.testkit.SimulatorMain --port 8089 --faults "seed=7,frameSplit=0.3"}</pre>
 *
 * <p>The feed is {@code --feed <class>} when given: a class with a public static
 * {@code create(long seed, int conversations, double conversationsPerSecond)} returning a
 * {@link ScenarioFeed}, or a {@link ScenarioFeed} implementation with a public constructor taking
 * those parameters or none (tried in that order). Without it, the seeded {@link ContactCenterScenario};
 * {@code --feed builtin} is a small feed of inbound calls (detail events with exact ground truth,
 * plus one queue snapshot per call whose ground truth it does not claim).
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    static final String USAGE = String.join("\n",
            "usage: SimulatorMain [options]",
            "  --port N              REST port on 127.0.0.1 (default 0: any free port)",
            "  --ws-port N           WebSocket port on 127.0.0.1 (default 0: any free port)",
            "  --seed N              seed for the feed, ids and tokens (default 1)",
            "  --conversations N     conversations in the feed (default 10)",
            "  --rate R              conversations started per second of scenario time (default 1.0)",
            "  --speed S             playback speed: 1 = real time, 10 = ten times faster, max = no pacing (default 1)",
            "  --faults SPEC         e.g. \"seed=7,frameSplit=0.3,duplicate=0.05,reorder=0.1:4\" (see Faults.parse)",
            "  --feed CLASS          a ScenarioFeed class (see the class javadoc); default: ContactCenterScenario; 'builtin': a tiny inbound-call feed",
            "  --client-id ID        OAuth client id (default sim-client)",
            "  --client-secret S     OAuth client secret (default sim-secret; never printed)",
            "  --heartbeat-seconds N heartbeat interval, 0 = off (default 30)",
            "  --no-wait             play at once instead of waiting for the first WebSocket",
            "  --exit-when-done      exit after the feed is played instead of serving on",
            "  --help                this text");

    /** Parsed command line. */
    record Options(int port, int wsPort, long seed, int conversations, double rate, double speed, Faults faults,
                   String feedClass, String clientId, String clientSecret, Duration heartbeat, boolean waitForClient,
                   boolean exitWhenDone, boolean help) {

        @Override
        public String toString() {
            return "Options[port=" + port + ", wsPort=" + wsPort + ", seed=" + seed + ", conversations=" + conversations
                    + ", rate=" + rate + ", speed=" + speed + ", faults=" + faults + ", feed=" + feedClass
                    + ", clientId=" + clientId + " (secret hidden)]";
        }

        static Options parse(String... args) {
            int port = 0;
            int wsPort = 0;
            long seed = 1;
            int conversations = 10;
            double rate = 1.0;
            double speed = 1.0;
            Faults faults = Faults.none();
            String feed = null;
            String clientId = "sim-client";
            String secret = "sim-secret";
            Duration heartbeat = Duration.ofSeconds(30);
            boolean wait = true;
            boolean exit = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> help = true;
                    case "--no-wait" -> wait = false;
                    case "--exit-when-done" -> exit = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("unknown option or missing value: " + a);
                        }
                        String v = args[++i];
                        try {
                            switch (a) {
                                case "--port" -> port = Integer.parseInt(v);
                                case "--ws-port" -> wsPort = Integer.parseInt(v);
                                case "--seed" -> seed = Long.parseLong(v);
                                case "--conversations" -> conversations = Integer.parseInt(v);
                                case "--rate" -> rate = Double.parseDouble(v);
                                case "--speed" -> speed = v.toLowerCase(Locale.ROOT).equals("max")
                                        ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
                                case "--faults" -> faults = Faults.parse(v);
                                case "--feed" -> feed = v;
                                case "--client-id" -> clientId = v;
                                case "--client-secret" -> secret = v;
                                case "--heartbeat-seconds" -> heartbeat = Duration.ofSeconds(Long.parseLong(v));
                                default -> throw new IllegalArgumentException("unknown option: " + a);
                            }
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("option " + a + " needs a number, got '" + v + "'", e);
                        }
                    }
                }
            }
            if (conversations < 0 || !(rate > 0) || !(speed > 0)) {
                throw new IllegalArgumentException("--conversations must be >= 0, --rate and --speed positive");
            }
            return new Options(port, wsPort, seed, conversations, rate, speed, faults, feed, clientId, secret, heartbeat,
                    wait, exit, help);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.println(USAGE);
            return;
        }
        GenesysCloudSimulator sim = start(o, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "gc-sim-shutdown"));
        run(sim, o, System.out);
        if (o.exitWhenDone()) {
            sim.close();
            return;
        }
        System.out.println("feed played; serving until interrupted (Ctrl-C)");
        stopped.await();
    }

    /** Builds and starts the simulator and prints where it listens (never the secret). */
    static GenesysCloudSimulator start(Options o, PrintStream out) {
        ScenarioFeed feed = feed(o);
        GenesysCloudSimulator sim = GenesysCloudSimulator.builder().port(o.port()).webSocketPort(o.wsPort()).seed(o.seed())
                .client(o.clientId(), o.clientSecret()).faults(o.faults()).heartbeatInterval(o.heartbeat())
                .deliveryLogLimit(100_000) // nobody here reads the truth: keep a long-running demo's memory flat
                .feed(feed).build();
        out.println("Genesys Cloud simulator (127.0.0.1 only)");
        out.println("  REST       " + sim.baseUri() + "   (POST /oauth/token, /api/v2/notifications/..., /api/v2/analytics/...)");
        out.println("  WebSocket  " + sim.webSocketUri() + "   (channels' connectUri; seed shapes on their paths)");
        out.println("  client id  " + o.clientId() + "   (secret as given by --client-secret)");
        out.println("  feed       " + (o.feedClass() == null ? "ContactCenterScenario" : o.feedClass()) + ": "
                + feed.conversationIds().size() + " conversations, " + feed.notifications().size() + " notifications");
        out.println("  faults     " + o.faults());
        return sim;
    }

    /** Waits for the first socket (unless told not to), plays at the chosen speed, prints the stats. */
    static void run(GenesysCloudSimulator sim, Options o, PrintStream out) throws InterruptedException {
        if (o.waitForClient()) {
            out.println("waiting for a WebSocket connection ...");
            while (sim.openSockets() == 0) {
                Thread.sleep(50);
            }
        }
        out.println("playing at " + (Double.isInfinite(o.speed()) ? "max" : o.speed() + "x") + " speed");
        sim.playAt(o.speed());
        out.println("stats " + sim.stats());
    }

    static ScenarioFeed feed(Options o) {
        if (o.feedClass() == null) {
            return ContactCenterScenario.builder().seed(o.seed()).conversations(o.conversations())
                    .arrivalRatePerSecond(o.rate()).build();
        }
        if (o.feedClass().equals("builtin")) {
            return new BuiltInFeed(o.seed(), o.conversations(), o.rate());
        }
        try {
            Class<?> c = Class.forName(o.feedClass());
            try {
                Method m = c.getMethod("create", long.class, int.class, double.class);
                if (Modifier.isStatic(m.getModifiers()) && ScenarioFeed.class.isAssignableFrom(m.getReturnType())) {
                    return (ScenarioFeed) m.invoke(null, o.seed(), o.conversations(), o.rate());
                }
            } catch (NoSuchMethodException e) {
                // no factory method: the class must be a feed itself
            }
            if (!ScenarioFeed.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException(o.feedClass() + " neither implements " + ScenarioFeed.class.getName()
                        + " nor has a static create(long,int,double) returning one");
            }
            try {
                return (ScenarioFeed) c.getConstructor(long.class, int.class, double.class)
                        .newInstance(o.seed(), o.conversations(), o.rate());
            } catch (NoSuchMethodException e) {
                return (ScenarioFeed) c.getConstructor().newInstance();
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("feed class " + o.feedClass() + " not found", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("feed class " + o.feedClass()
                    + " has no create(long,int,double), (long,int,double) constructor or no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("feed class " + o.feedClass() + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("feed class " + o.feedClass() + " cannot be instantiated: " + e, e);
        }
    }
}

package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.SipStreamReader;
import dev.ccaasfailover.sip.SipTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP and TLS side of the simulator: one thread per connection (Java 17, no virtual threads),
 * messages framed by Content-Length, connections kept open for any number of requests, as SIP
 * peers reuse connections (RFC 3261 §18.3).
 */
final class StreamUasListener implements UasListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamUasListener.class);

    private final SipTransport transport;
    private final ServerSocket serverSocket;
    private final OptionsResponder responder;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService connectionThreads;

    private StreamUasListener(SipTransport transport, ServerSocket serverSocket, OptionsResponder responder) {
        this.transport = transport;
        this.serverSocket = serverSocket;
        this.responder = responder;
        String prefix = "sip-uas-" + transport.uriParam() + "-" + serverSocket.getLocalPort() + "-";
        AtomicInteger threadNumber = new AtomicInteger();
        this.connectionThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, prefix + threadNumber.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    static StreamUasListener open(SipTransport transport, ServerSocketFactory factory, InetAddress bindAddress,
                                  int port, OptionsResponder responder) throws IOException {
        ServerSocket serverSocket = factory.createServerSocket(port, 50, bindAddress);
        StreamUasListener listener = new StreamUasListener(transport, serverSocket, responder);
        listener.connectionThreads.execute(listener::acceptLoop);
        return listener;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket connection = serverSocket.accept();
                connections.add(connection);
                connectionThreads.execute(() -> serve(connection));
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    LOG.warn("{} accept failed on port {}: {}", transport, port(), e.toString());
                }
            }
        }
    }

    private void serve(Socket connection) {
        InetSocketAddress remote = (InetSocketAddress) connection.getRemoteSocketAddress();
        try (connection) {
            // For TLS the handshake happens on the first read, here on the connection's own thread.
            SipStreamReader reader = new SipStreamReader(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            ResponseSink sink = response -> {
                synchronized (out) { // delayed responses are written from the scheduler thread
                    out.write(response);
                    out.flush();
                }
            };
            byte[] message;
            while ((message = reader.next()) != null) {
                responder.onMessage(message, transport, remote, sink);
            }
        } catch (IOException e) {
            if (!serverSocket.isClosed()) {
                LOG.debug("{} connection from {} ended: {}", transport, remote, e.toString());
            }
        } finally {
            connections.remove(connection);
        }
    }

    @Override
    public int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing {} server socket: {}", transport, e.toString());
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("closing {} connection: {}", transport, e.toString());
            }
        }
        connectionThreads.shutdownNow();
    }
}

//! Stopping Kith, as a real process: asked to stop (SIGTERM), it takes no new
//! connections, lets the requests in flight finish, and exits 0 — after ten seconds
//! at most, even when a request never ends.

use crate::helpers::fresh_database_url;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A login form's head, and a body of `BODY` bytes sent in two parts.
const HEAD: &str = "POST /api/login HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\
    Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 44\r\nConnection: close\r\n\r\n";
const BODY: &str = "email=nobody%40kith.test&password=not-a-real";

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(database_url: &str) -> Self {
        let addr = TcpListener::bind("127.0.0.1:0")
            .and_then(|free| free.local_addr())
            .expect("a free port");
        let child = Command::new(env!("CARGO_BIN_EXE_kith"))
            .arg("serve")
            .env("KITH_DATABASE_URL", database_url)
            .env("KITH_ADDR", addr.to_string())
            .env("KITH_LOG", "error")
            .env_remove("DATABASE_URL")
            .spawn()
            .expect("kith serve runs");
        let up = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(up.elapsed() < Duration::from_secs(60), "kith never listened on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, addr }
    }

    /// A request whose body has only begun to arrive.
    fn begin_request(&self) -> TcpStream {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream.write_all(HEAD.as_bytes()).expect("send the head");
        stream.write_all(&BODY.as_bytes()[..10]).expect("send part of the body");
        stream
    }

    fn terminate(&self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(sent.success());
    }

    fn exit_within(&mut self, limit: Duration) -> (ExitStatus, Duration) {
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return (status, asked.elapsed());
            }
            assert!(asked.elapsed() < limit, "still running after {limit:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn asked_to_stop_kith_refuses_new_connections_finishes_requests_in_flight_and_exits_0() {
    let (url, _dir) = fresh_database_url().await;
    let mut server = Server::start(&url);
    let mut finishing = server.begin_request();
    let _never_finishing = server.begin_request();
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(TcpStream::connect(server.addr).is_err(), "a new connection was taken");

    finishing.write_all(&BODY.as_bytes()[10..]).expect("send the rest");
    let mut answer = String::new();
    finishing.read_to_string(&mut answer).expect("read the answer");
    let status = answer.split(' ').nth(1).unwrap_or_default();
    assert!(status.starts_with('4') || status.starts_with('2'), "answered {answer}");

    // The other request never ends: Kith stops waiting for it after ten seconds.
    let (exit, took) = server.exit_within(Duration::from_secs(20));
    assert!(exit.success(), "exited with {exit}");
    assert!(took >= Duration::from_secs(8), "stopped after {took:?}, before the grace period");
}

//! A client for in-process protocol tests and benchmarks: the other end of
//! a pipe to [`serve`](super::serve), speaking the real wire framing. It
//! panics when the server does not answer, which is what a test wants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::path::Path;
use std::time::Duration;
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};

/// The client end of a pipe to a running server.
pub struct Peer {
    /// The pipe towards the server, for bytes a test writes by hand.
    pub write: WriteHalf<DuplexStream>,
    read: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Messages from the server not asked for yet.
    seen: VecDeque<Value>,
}

impl Peer {
    /// A server on one end of a pipe, this client on the other.
    pub fn start() -> Peer {
        let (client, server) = tokio::io::duplex(1 << 22);
        let (server_read, server_write) = tokio::io::split(server);
        tokio::spawn(super::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client);
        Peer {
            write,
            read: BufReader::new(read),
            next_id: 1,
            seen: VecDeque::new(),
        }
    }

    /// Sends one framed message with this body.
    pub async fn send_raw(&mut self, body: &[u8]) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.write.write_all(header.as_bytes()).await.unwrap();
        self.write.write_all(body).await.unwrap();
        self.write.flush().await.unwrap();
    }

    /// Sends one JSON-RPC message.
    pub async fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes()).await;
    }

    /// The next message from the server, within ten seconds.
    pub async fn recv(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(10), async {
            let mut length = None;
            loop {
                let mut line = String::new();
                self.read.read_line(&mut line).await.unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = Some(n.parse::<usize>().unwrap());
                }
            }
            let mut body = vec![0; length.unwrap_or(0)];
            self.read.read_exact(&mut body).await.unwrap();
            serde_json::from_slice::<Value>(&body).unwrap()
        })
        .await
        .expect("the server answered within ten seconds")
    }

    /// Sends a request and waits for its response, keeping what else
    /// comes meanwhile.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.recv().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.seen.push_back(message);
        }
    }

    /// Sends a notification.
    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next notification `method` that `wanted` accepts, skipping others.
    pub async fn notification(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        while let Some(message) = self.seen.pop_front() {
            if message["method"] == method && wanted(&message["params"]) {
                return message["params"].clone();
            }
        }
        loop {
            let message = self.recv().await;
            if message["method"] == method && wanted(&message["params"]) {
                return message["params"].clone();
            }
        }
    }

    /// The next diagnostics published for `uri`.
    pub async fn diagnostics_of(&mut self, uri: &str) -> Value {
        let uri = uri.to_string();
        self.notification("textDocument/publishDiagnostics", move |p| p["uri"] == uri)
            .await["diagnostics"]
            .clone()
    }

    /// A server that has done the `initialize` handshake with this client,
    /// for a workspace at `root`.
    pub async fn initialized(root: &Path) -> Peer {
        let mut peer = Peer::start();
        peer.initialize(root).await;
        peer
    }

    /// The `initialize` handshake, with a client that offers nothing
    /// special (so positions are UTF-16).
    pub async fn initialize(&mut self, root: &Path) {
        let response = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
            )
            .await;
        assert_eq!(
            response["result"]["capabilities"]["positionEncoding"],
            "utf-16"
        );
        self.notify("initialized", json!({})).await;
    }
}

/// The `file://` URI of a path.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

//! A minimal HTTP/1.1 client: one `GET` per connection, `Connection: close`, the
//! whole answer read to the end. Enough for readiness probes and single timed
//! requests, with nothing between the measurement and the socket.

use std::io::{self, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Status and body of an answer. The body is as sent, so a chunked one keeps its
/// chunk sizes.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Everything after the header block.
    pub body: String,
}

fn request_bytes(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").into_bytes()
}

fn parse_reply(raw: &[u8]) -> io::Result<Reply> {
    let text = String::from_utf8_lossy(raw);
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("no status line in `{}`", text.lines().next().unwrap_or(""))))?;
    let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
    Ok(Reply { status, body })
}

/// Sends `GET path` to `addr` and waits up to `timeout` for each step.
pub fn get(addr: SocketAddr, path: &str, timeout: Duration) -> io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(&request_bytes(path))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_reply(&raw)
}

/// Sends `GET path` to `addr` on the tokio runtime.
pub async fn get_async(addr: SocketAddr, path: &str) -> io::Result<Reply> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    stream.write_all(&request_bytes(path)).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    parse_reply(&raw)
}

/// One kept-alive connection sending `GET`s one after another, as each wrk
/// connection does.
pub struct KeepAlive {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl KeepAlive {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> io::Result<KeepAlive> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(KeepAlive { stream, buffer: Vec::new() })
    }

    /// Sends `GET path` and reads the whole answer (a `content-length` body or a
    /// chunked one); returns the status.
    pub fn get(&mut self, path: &str) -> io::Result<u16> {
        self.stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
        self.buffer.clear();
        let mut chunk = [0u8; 4096];
        loop {
            let read = self.stream.read(&mut chunk)?;
            if read == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed mid-answer"));
            }
            self.buffer.extend_from_slice(&chunk[..read]);
            if let Some(status) = complete_answer(&self.buffer)? {
                return Ok(status);
            }
        }
    }
}

/// The status once `raw` holds a whole answer.
fn complete_answer(raw: &[u8]) -> io::Result<Option<u16>> {
    let Some(end) = raw.windows(4).position(|window| window == b"\r\n\r\n") else { return Ok(None) };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    let length = head.lines().find_map(|line| line.strip_prefix("content-length:")).and_then(|value| value.trim().parse::<usize>().ok());
    let complete = match length {
        Some(length) => body.len() >= length,
        None => body.ends_with(b"0\r\n\r\n"),
    };
    if !complete {
        return Ok(None);
    }
    Ok(Some(parse_reply(raw)?.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_splits_status_and_body() {
        let reply = parse_reply(b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\n\r\n{\"detail\":\"x\"}").unwrap();
        assert_eq!(reply.status, 503);
        assert_eq!(reply.body, "{\"detail\":\"x\"}");
        assert!(parse_reply(b"garbage").is_err());
    }

    #[test]
    fn answer_completes_by_length_or_last_chunk() {
        assert_eq!(complete_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHel").unwrap(), None);
        assert_eq!(complete_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHello").unwrap(), Some(200));
        assert_eq!(complete_answer(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nHello\r\n").unwrap(), None);
        assert_eq!(complete_answer(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n\r\n").unwrap(), Some(200));
    }
}

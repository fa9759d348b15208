//! One HTTP/1.1 request over a plain socket, as an outside client sends it to a served ledger:
//! no client library between the test and the bytes the server writes.

use std::fmt::Display;
use std::io::{Read, Write};
use std::net::TcpStream;

/// An answer read off the socket.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The status line and headers, lower-cased.
    pub head: String,
    /// The body, its chunks joined if it came chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The value of the header `name` (lower-case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}: ")).map(str::to_owned))
    }
}

/// Send `method path` to `addr` (HOST:PORT) on a new connection and read the whole answer.
/// `token` signs in as a bearer; `body` goes as JSON. An error is a connection that failed or
/// an answer that is not HTTP (a server that stopped listening, say).
pub fn request(
    addr: impl Display,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr.to_string())?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no complete answer"))?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head
        .get(9..12)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let mut body = response[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body)?;
    }
    Ok(Response { status, head, body })
}

/// The body of a chunked answer, its chunks joined.
fn dechunk(mut body: &[u8]) -> std::io::Result<Vec<u8>> {
    let broken = || std::io::Error::other("a broken chunked body");
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .ok_or_else(broken)?;
        let size = std::str::from_utf8(&body[..line_end])
            .ok()
            .and_then(|size| usize::from_str_radix(size, 16).ok())
            .ok_or_else(broken)?;
        if size == 0 {
            return Ok(out);
        }
        let chunk = body
            .get(line_end + 2..line_end + 2 + size)
            .ok_or_else(broken)?;
        out.extend_from_slice(chunk);
        body = body.get(line_end + 2 + size + 2..).ok_or_else(broken)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunked_body_is_joined_and_a_broken_one_refused() {
        assert_eq!(
            dechunk(b"4\r\nkaoh\r\n1\r\ne\r\n0\r\n\r\n").unwrap(),
            b"kaohe"
        );
        assert!(dechunk(b"9\r\nkaoh\r\n").is_err());
        assert!(dechunk(b"x\r\n").is_err());
    }
}

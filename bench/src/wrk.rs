//! Running `wrk` (Debian's package) and reading its report.

use std::process::Command;

use anyhow::Context as _;

/// wrk threads: one per core of the 2-core reference machine. The load generator
/// shares the cores with the server, the same way for every scenario.
pub const THREADS: u32 = 2;

/// Open connections, as in the targets.
pub const CONNECTIONS: u32 = 32;

/// What one wrk run measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WrkResult {
    /// Completed requests per second.
    pub requests_per_sec: f64,
    /// Median latency in microseconds.
    pub p50_us: f64,
    /// 99th percentile latency in microseconds.
    pub p99_us: f64,
    /// Completed requests.
    pub requests: u64,
    /// Answers other than 2xx/3xx plus socket errors (connect, read, write, timeout).
    pub failures: u64,
}

/// The wrk command line for `url` over `seconds`.
pub fn command(url: &str, seconds: u32) -> Vec<String> {
    vec![
        "wrk".to_owned(),
        format!("-t{THREADS}"),
        format!("-c{CONNECTIONS}"),
        format!("-d{seconds}s"),
        "--latency".to_owned(),
        url.to_owned(),
    ]
}

/// Runs wrk against `url` for `seconds`.
pub fn run(url: &str, seconds: u32) -> anyhow::Result<WrkResult> {
    let line = command(url, seconds);
    let output = Command::new(&line[0]).args(&line[1..]).output().context("failed to run `wrk`: run `bench/setup.sh`")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        anyhow::bail!("`{}` failed: {}{}", line.join(" "), stdout, String::from_utf8_lossy(&output.stderr));
    }
    parse(&stdout).with_context(|| format!("cannot read the report of `{}`:\n{stdout}", line.join(" ")))
}

/// Whether `wrk` can be run.
pub fn available() -> bool {
    Command::new("wrk").arg("-v").output().is_ok()
}

/// Reads wrk's report (with `--latency`).
pub fn parse(report: &str) -> anyhow::Result<WrkResult> {
    let mut result = WrkResult { requests_per_sec: f64::NAN, p50_us: f64::NAN, p99_us: f64::NAN, requests: 0, failures: 0 };
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => result.requests_per_sec = value.parse()?,
            ["50%", value] => result.p50_us = micros(value)?,
            ["99%", value] => result.p99_us = micros(value)?,
            [count, "requests", "in", ..] => result.requests = count.parse()?,
            ["Non-2xx", "or", "3xx", "responses:", count] => result.failures += count.parse::<u64>()?,
            ["Socket", "errors:", rest @ ..] => {
                // `connect 0, read 0, write 0, timeout 0`
                for count in rest.iter().skip(1).step_by(2) {
                    result.failures += count.trim_end_matches(',').parse::<u64>()?;
                }
            }
            _ => {}
        }
    }
    if result.requests_per_sec.is_nan() || result.p50_us.is_nan() || result.p99_us.is_nan() {
        anyhow::bail!("the report lacks `Requests/sec` or the latency distribution");
    }
    Ok(result)
}

/// Converts wrk's `215.00us`, `1.02ms`, `1.50s` or `2.00m` to microseconds.
fn micros(value: &str) -> anyhow::Result<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic()).with_context(|| format!("no unit in `{value}`"))?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().with_context(|| format!("bad number in `{value}`"))?;
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        "m" => 60e6,
        _ => anyhow::bail!("unknown unit `{unit}`"),
    };
    Ok(number * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:8080/hello
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   410.12us  300.00us   8.00ms   90.00%
    Req/Sec    40.00k     2.00k   45.00k    70.00%
  Latency Distribution
     50%  355.00us
     75%  450.00us
     90%  600.00us
     99%    1.52ms
  400000 requests in 5.00s, 50.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  80000.50
Transfer/sec:     10.00MB
";

    #[test]
    fn report_fields_are_read() {
        let result = parse(REPORT).unwrap();
        assert_eq!(result.requests_per_sec, 80000.5);
        assert_eq!(result.p50_us, 355.0);
        assert_eq!(result.p99_us, 1520.0);
        assert_eq!(result.requests, 400_000);
        assert_eq!(result.failures, 7);
    }

    #[test]
    fn report_without_latency_fails() {
        assert!(parse("Requests/sec: 5\n").is_err());
    }
}

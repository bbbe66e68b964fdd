//! What Linux's `/proc` says about the programs a desktop runs: the memory of a process and
//! everything it started, the WebKit processes alive, and how busy the machine is.

use std::collections::HashMap;
use std::fs;
use std::time::{Duration, Instant};

/// The proportional set size (PSS) of `root` and all its descendants, in KiB: each process's
/// private pages plus its share of the pages it maps together with others. For a Tauri app
/// that is the app and WebKit's web and network processes. Processes that exit while being
/// read count as 0.
pub fn tree_pss_kib(root: u32) -> u64 {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for pid in pids() {
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut total = 0;
    let mut pending = vec![root];
    while let Some(pid) = pending.pop() {
        total += pss_kib(pid);
        pending.extend(children.get(&pid).into_iter().flatten());
    }
    total
}

/// How many WebKit web and network processes are running, of any program. They share
/// WebKit's library pages with every other WebKit process, which lowers each one's PSS.
pub fn webkit_process_count() -> usize {
    pids()
        .filter_map(|pid| fs::read_to_string(format!("/proc/{pid}/stat")).ok())
        .filter(|stat| is_live_webkit_process(stat))
        .count()
}

/// Waits up to `timeout` until at most `count` WebKit processes run. WebKit's processes
/// outlive the app that started them by a moment; waiting keeps them from competing with
/// whatever runs next.
pub fn wait_for_webkit_processes_at_most(count: usize, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while webkit_process_count() > count && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The 1-minute load average, or NaN where the kernel does not say.
pub fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

fn pids() -> impl Iterator<Item = u32> {
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
}

/// `PID (comm) STATE ...`: the kernel cuts `comm` to 15 bytes; a zombie has exited and holds
/// no memory.
fn is_live_webkit_process(stat: &str) -> bool {
    let Some((comm, rest)) = stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(')')) else {
        return false;
    };
    (comm.starts_with("WebKitWebProces") || comm.starts_with("WebKitNetworkPr"))
        && !rest.trim_start().starts_with('Z')
}

fn parent_of(pid: u32) -> Option<u32> {
    parent_in_stat(&fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

fn parent_in_stat(stat: &str) -> Option<u32> {
    // The name in parentheses may hold spaces; the fields after the last ')' are plain.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

fn pss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|rollup| pss_in_rollup(&rollup))
        .unwrap_or(0)
}

fn pss_in_rollup(rollup: &str) -> Option<u64> {
    rollup.lines().find_map(|line| {
        line.strip_prefix("Pss:")?
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parent_past_a_name_with_spaces_and_parentheses() {
        assert_eq!(parent_in_stat("42 (a (b) c) S 7 42 42 0"), Some(7));
        assert_eq!(
            parent_of(std::process::id()),
            Some(std::os::unix::process::parent_id())
        );
    }

    #[test]
    fn tells_live_webkit_processes_from_others_and_zombies() {
        assert!(is_live_webkit_process("9 (WebKitWebProces) S 1 9"));
        assert!(is_live_webkit_process("9 (WebKitNetworkPr) R 1 9"));
        assert!(!is_live_webkit_process("9 (WebKitWebProces) Z 1 9"));
        assert!(!is_live_webkit_process("9 (oktadesk) S 1 9"));
    }

    #[test]
    fn reads_pss_from_smaps_rollup() {
        let rollup = "00400000-ffffffffff601000 ---p 00000000 00:00 0 [rollup]\n\
                      Rss:               18312 kB\nPss:                6453 kB\n\
                      Pss_Anon:           2116 kB\n";
        assert_eq!(pss_in_rollup(rollup), Some(6453));
    }

    #[test]
    fn this_process_tree_has_memory_and_the_machine_a_load() {
        assert!(tree_pss_kib(std::process::id()) > 0);
        assert!(load_average() >= 0.0);
    }
}

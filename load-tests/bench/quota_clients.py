#!/usr/bin/env python3
"""Closed-loop chat clients for the quota benchmark (issue 15) that honour Retry-After.

Each user is a thread with its own keep-alive connection to one gateway. It sends a non-streamed
chat completion; on 429 it sleeps exactly what the gateway said (retry-after-ms, else Retry-After
in seconds) and sends the same request again, recording whether that retry was admitted. Writes a
JSON summary: answers per gateway and UTC minute (tokens from the response's usage), refusals,
retries admitted after exactly Retry-After, and every Retry-After longer than the time left in the
refusing window (the tenant budget's UTC minute, or WINDOW_MS).

Usage: quota_clients.py --gateways URL,URL,... --users N --seconds S --key KEY --model M
                        --max-tokens T --out FILE [--window-ms 60000] [--think-ms 0]
Exits non-zero with a message when an argument is wrong or no request could be sent.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from collections import defaultdict


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--gateways", required=True, help="comma-separated base URLs")
    p.add_argument("--users", type=int, required=True, help="users per gateway")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--window-ms", type=int, default=60_000)
    p.add_argument("--think-ms", type=int, default=0, help="pause between a user's requests")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.users < 1 or a.seconds <= 0:
        p.error("--users must be >= 1 and --seconds > 0")
    return a


class Totals:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = defaultdict(int)  # (gateway, minute) -> answers
        self.tokens = defaultdict(int)  # (gateway, minute) -> total tokens answered
        self.refused = 0
        self.other = defaultdict(int)
        self.retries = 0
        self.retries_admitted = 0
        self.retry_after_ms = []
        self.beyond_window = []  # (retry_after_ms, ms left in window)
        self.errors = 0


def user(gateway_index, base, args, totals, deadline):
    url = urllib.parse.urlparse(base)
    body = json.dumps(
        {
            "model": args.model,
            "max_tokens": args.max_tokens,
            "messages": [{"role": "user", "content": "Tell me about the rivers of Europe."}],
        }
    )
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + args.key}
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    retrying = False
    while time.time() < deadline:
        sent_at = time.time()
        try:
            conn.request("POST", "/v1/chat/completions", body, headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            with totals.lock:
                totals.errors += 1
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
            time.sleep(0.1)
            continue
        minute = int(sent_at * 1000) // 60_000 * 60_000  # tables are per UTC minute
        if resp.status == 200:
            used = json.loads(data).get("usage", {}).get("total_tokens", 0)
            with totals.lock:
                totals.ok[(gateway_index, minute)] += 1
                totals.tokens[(gateway_index, minute)] += used
                if retrying:
                    totals.retries_admitted += 1
            retrying = False
            if args.think_ms:
                time.sleep(args.think_ms / 1000)
            continue
        if resp.status != 429:
            with totals.lock:
                totals.other[resp.status] += 1
            retrying = False
            time.sleep(0.1)
            continue
        ms = resp.getheader("retry-after-ms")
        wait_ms = int(ms) if ms is not None else int(resp.getheader("retry-after", "1")) * 1000
        left_ms = args.window_ms - int(sent_at * 1000) % args.window_ms
        with totals.lock:
            totals.refused += 1
            totals.retry_after_ms.append(wait_ms)
            # 50 ms of slack: the gateway measures the window on its own clock, from its lease.
            if wait_ms > left_ms + 50:
                totals.beyond_window.append((wait_ms, left_ms))
        time.sleep(wait_ms / 1000)
        with totals.lock:
            if time.time() < deadline:
                totals.retries += 1
        retrying = True


def main():
    args = parse_args()
    gateways = [g.strip() for g in args.gateways.split(",") if g.strip()]
    if not gateways:
        sys.exit("quota_clients: --gateways names no URL")
    totals = Totals()
    deadline = time.time() + args.seconds
    threads = []
    for i, base in enumerate(gateways):
        for _ in range(args.users):
            t = threading.Thread(target=user, args=(i, base, args, totals, deadline), daemon=True)
            t.start()
            threads.append(t)
    for t in threads:
        t.join(args.seconds + 120)
    ok_total = sum(totals.ok.values())
    if ok_total == 0 and totals.refused == 0:
        sys.exit("quota_clients: no request was answered (errors: %d)" % totals.errors)
    summary = {
        "gateways": len(gateways),
        "users_per_gateway": args.users,
        "ok": ok_total,
        "refused": totals.refused,
        "other": dict(totals.other),
        "errors": totals.errors,
        "retries": totals.retries,
        "retries_admitted": totals.retries_admitted,
        "retry_after_ms": sorted(totals.retry_after_ms),
        "beyond_window": totals.beyond_window,
        "tokens": {"%d@%d" % k: v for k, v in sorted(totals.tokens.items())},
        "answers": {"%d@%d" % k: v for k, v in sorted(totals.ok.items())},
    }
    with open(args.out, "w") as f:
        json.dump(summary, f)


if __name__ == "__main__":
    main()

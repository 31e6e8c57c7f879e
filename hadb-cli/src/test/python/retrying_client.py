#!/usr/bin/env python3
"""A client of `hadb serve` written with the standard library only, as any non-JVM user would.

    retrying_client.py URL TOKEN ROWS KILL_AFTER LEADER_PID TABLE

Inserts ROWS rows into TABLE(k, n) through the node at URL, each under its own Idempotency-Key, retrying a row
with the same key on 503, on a connection error and on a timeout (DESIGN §6.4: a 503 naming
UNKNOWN_OUTCOME may have applied; the same key applies it at most once). After KILL_AFTER rows it
kills the process LEADER_PID with SIGKILL 5 ms after sending the next row, so the kill lands while
that write is in flight (the leader, if the caller passes it; 0: no kill).
Then it reads the table at level=leader and checks that every row is there exactly once.
Prints one summary line; exit 0 when every row is there once, 1 when not.
"""
import http.client
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

urls, token, rows, kill_after, leader_pid, table = (sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                                                  int(sys.argv[5]), sys.argv[6])
DEADLINE_S = 60


urls = urls.split(",")
node = 0


def call(path, body=None, headers=None, timeout=20):
    url = urls[node]
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method="POST" if body is not None else "GET")
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, json.loads(r.read())


retries = 0
unknown = 0
start = time.monotonic()
for i in range(rows):
    if i == kill_after and leader_pid > 0:
        threading.Timer(0.005, os.kill, (leader_pid, signal.SIGKILL)).start()
    row = "row-%d" % i
    key = "%s-%s" % (table, row)
    while True:
        if time.monotonic() - start > DEADLINE_S:
            print("FAILED: row %d not acknowledged within %d s" % (i, DEADLINE_S))
            sys.exit(1)
        try:
            status, body = call("/db/execute", [["INSERT INTO %s(k, n) VALUES(?, ?)" % table, row, i]],
                                {"Idempotency-Key": key})
            assert body["results"][0]["rows_affected"] == 1, body
            break
        except urllib.error.HTTPError as e:
            answer = json.loads(e.read() or b"{}")
            if e.code != 503:
                print("FAILED: row %d answered %d %s" % (i, e.code, answer))
                sys.exit(1)
            if answer.get("code") == "UNKNOWN_OUTCOME":
                unknown += 1
            retries += 1
            time.sleep(float(e.headers.get("Retry-After", "1")) / 10)
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            # no answer, or one cut short (the node died while sending it): the write may have
            # applied, so the same key goes to the next node
            retries += 1
            node = (node + 1) % len(urls)
            time.sleep(0.05)

status, body = call("/db/query?level=leader", ["SELECT k, count(*) FROM %s GROUP BY k HAVING count(*) > 1" % table,
                                               "SELECT count(*) FROM %s" % table])
doubled = body["results"][0].get("values", [])
count = body["results"][1]["values"][0][0]
ok = not doubled and count == rows
print("%s: %d rows acknowledged, %d in the table, doubled %s, %d retries (%d unknown outcomes)"
      % ("ok" if ok else "FAILED", rows, count, doubled, retries, unknown))
sys.exit(0 if ok else 1)

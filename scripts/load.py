#!/usr/bin/env python3
"""A steady mixed load on a running Kith, as a team works: people signed in browse
the lists, the dashboard and records (HTML pages, with their cookies), and create,
edit and convert leads through the REST API; an admin imports a small file now and
then. Used by `make soak` and `make cluster-test`.

    scripts/load.py BASE_URL --seconds N --tokens admin=TOKEN,maria=TOKEN,… [--rate R]
        [--acked FILE] [--report FILE]

Each request's route (its path with ids replaced), status and time are counted; the
ids of leads whose creation was acknowledged (201) go to --acked, one a line, so a
test can check none was lost. The report (JSON, also printed) gives per route the
count, statuses and p50/p99 in ms, and in total the 5xx answers and the requests
that got no answer at all (connection refused or cut), each failure with its time.
"""
import argparse
import http.client
import json
import random
import re
import threading
import time
import urllib.parse
import uuid

PEOPLE = {
    "admin": ("admin@kith.test", "kith-admin-demo"),
    "maria": ("maria@kith.test", "kith-agent-demo"),
    "james": ("james@kith.test", "kith-agent-demo"),
    "priya": ("priya@kith.test", "kith-agent-demo"),
}
ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LEAD_LINK = re.compile(r'href="/leads/([0-9a-f-]{36})"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.routes = {}
        self.unanswered = 0
        self.acked = []
        self.started = time.monotonic()
        # (seconds since the start, route, status or "no answer") of each failure
        self.failures = []

    def fail(self, route, status):
        with self.lock:
            self.failures.append((round(time.monotonic() - self.started, 2), route, status))

    def add(self, method, path, status, ms):
        route = method + " " + ID.sub("/{id}", path.split("?")[0])
        if status >= 500:
            self.fail(route, status)
        with self.lock:
            entry = self.routes.setdefault(route, {"statuses": {}, "ms": []})
            entry["statuses"][str(status)] = entry["statuses"].get(str(status), 0) + 1
            entry["ms"].append(ms)

    def report(self, seconds):
        routes = {}
        total = errors = 0
        for route, entry in sorted(self.routes.items()):
            ms = sorted(entry["ms"])
            total += len(ms)
            errors += sum(n for s, n in entry["statuses"].items() if s.startswith("5"))
            routes[route] = {
                "count": len(ms),
                "statuses": entry["statuses"],
                "p50_ms": round(ms[len(ms) // 2], 1),
                "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
            }
        return {
            "seconds": round(seconds, 1),
            "requests": total,
            "per_second": round(total / seconds, 1) if seconds else 0,
            "5xx": errors,
            "unanswered": self.unanswered,
            "acked_creates": len(self.acked),
            "routes": routes,
            "failures": self.failures,
        }


class Person:
    """One person at work: a browser session (cookies) and an API token."""

    def __init__(self, base, who, token, stats):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.origin = f"{url.scheme}://{url.netloc}"
        self.who, self.token, self.stats = who, token, stats
        self.cookies = {}
        self.leads = []

    def request(self, method, path, body=None, headers=None, api=False):
        headers = dict(headers or {})
        if api:
            headers["Authorization"] = "Bearer " + self.token
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and not api:
            headers["Origin"] = self.origin
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            data = res.read()
        except (OSError, http.client.HTTPException):
            with self.stats.lock:
                self.stats.unanswered += 1
            self.stats.fail(method + " " + ID.sub("/{id}", path.split("?")[0]), "no answer")
            return None, b""
        finally:
            conn.close()
        self.stats.add(method, path, res.status, (time.monotonic() - started) * 1000)
        for value in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return res, data

    def sign_in(self):
        email, password = PEOPLE[self.who]
        body = urllib.parse.urlencode({"email": email, "password": password})
        self.request("POST", "/api/login", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})

    def browse(self):
        path = random.choice(["/", "/leads", "/leads?q=a", "/leads?sort=name", "/customers",
                              "/tasks", "/leads?status=new"])
        res, data = self.request("GET", path)
        if res is not None and res.status == 200 and path.startswith("/leads"):
            found = LEAD_LINK.findall(data.decode("utf-8", "replace"))
            if found:
                self.request("GET", "/leads/" + random.choice(found))

    def create(self):
        n = random.randrange(1_000_000_000)
        body = json.dumps({"name": f"Load Lead {n}", "email": f"load{n}@example.com",
                           "company": f"Load Co {n % 500}", "source": "Load"})
        res, data = self.request("POST", "/api/v1/leads", body, {
            "Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}, api=True)
        if res is not None and res.status == 201:
            lead = json.loads(data)["id"]
            self.leads.append(lead)
            with self.stats.lock:
                self.stats.acked.append(lead)

    def edit(self):
        if not self.leads:
            return
        lead = random.choice(self.leads)
        res, _ = self.request("GET", f"/api/v1/leads/{lead}", api=True)
        if res is None or res.status != 200:
            return
        body = json.dumps({"status": random.choice(["new", "in_progress", "lost"]),
                           "phone": f"+1 555 {random.randrange(10**7):07d}"})
        self.request("PATCH", f"/api/v1/leads/{lead}", body, {
            "Content-Type": "application/json", "If-Match": res.headers.get("ETag", '"1"')}, api=True)

    def convert(self):
        if self.leads:
            lead = self.leads.pop(random.randrange(len(self.leads)))
            self.request("POST", f"/api/v1/leads/{lead}/convert", b"", api=True)

    def import_file(self):
        rows = "".join(f"Imported {random.randrange(10**9)},imp{random.randrange(10**9)}@example.com\n"
                       for _ in range(50))
        boundary = "kith-load"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nleads\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.csv\"\r\n"
                f"Content-Type: text/csv\r\n\r\nName,Email\n{rows}\r\n--{boundary}--\r\n").encode()
        res, _ = self.request("POST", "/import/upload", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Accept": "text/html"})
        location = res.headers.get("Location", "") if res is not None else ""
        if not location.startswith("/import/"):
            return
        job = location.rsplit("/", 1)[1]
        form = {"form[id]": job, "form[targets][0]": "name", "form[targets][1]": "email",
                "form[on_duplicate]": "skip", "form[other_status]": "new"}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        self.request("POST", "/api/imports/preview", urllib.parse.urlencode(form), headers)
        self.request("POST", "/api/imports/start", urllib.parse.urlencode({"id": job}), headers)


def work(person, until, pause, stop):
    person.sign_in()
    next_import = time.monotonic() + 5
    while time.monotonic() < until and not stop.is_set():
        started = time.monotonic()
        if person.who == "admin" and started >= next_import:
            person.import_file()
            next_import = started + 30
        else:
            action = random.choices([person.browse, person.create, person.edit, person.convert],
                                    weights=[70, 15, 12, 3])[0]
            action()
        time.sleep(max(0.0, pause - (time.monotonic() - started)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--tokens", required=True, help="who=token,… for admin, maria, james, priya")
    parser.add_argument("--rate", type=float, default=40, help="actions a second, all people together")
    parser.add_argument("--per-person", type=int, default=2)
    parser.add_argument("--acked")
    parser.add_argument("--report")
    args = parser.parse_args()
    tokens = dict(pair.split("=", 1) for pair in args.tokens.split(","))
    stats = Stats()
    people = [Person(args.base, who, tokens[who], stats)
              for who in tokens for _ in range(args.per_person)]
    pause = len(people) / args.rate
    started = time.monotonic()
    until = started + args.seconds
    stop = threading.Event()
    threads = [threading.Thread(target=work, args=(p, until, pause, stop), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        stop.set()
    report = stats.report(time.monotonic() - started)
    if args.acked:
        with open(args.acked, "w") as f:
            f.write("".join(lead + "\n" for lead in stats.acked))
    text = json.dumps(report, indent=1)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()

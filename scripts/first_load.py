"""What a signed-in person's browser transfers to show a page: the HTML and every
script, WebAssembly and stylesheet it names, asked for with brotli as a browser
does, counted as sent (compressed). A repeat visit sends only what the browser
may not keep: the HTML (`no-store`) and any asset not marked immutable.

    python3 scripts/first_load.py BASE_URL COOKIE PATH   # prints a table, then "first KB repeat KB"
"""
import re
import sys
import urllib.request

ASSET = re.compile(r'(?:href|src)="(/(?:pkg|vendor)/[^"]+\.(?:js|wasm|css))"')


def fetch(url: str, cookie: str, encoding: str = "br, gzip") -> tuple[bytes, dict]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding, "Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def main() -> int:
    base, cookie, path = sys.argv[1], sys.argv[2], sys.argv[3]
    html, headers = fetch(base + path, cookie)
    text = fetch(base + path, cookie, "identity")[0].decode()
    first = repeat = len(html)
    print(f"  {path:<48} {len(html) / 1024:8.1f} KB  {headers.get('content-encoding', 'identity'):<8} {headers.get('cache-control', '')}")
    for asset in sorted(set(ASSET.findall(text))):
        body, asset_headers = fetch(base + asset, "")
        first += len(body)
        kept = "immutable" in asset_headers.get("cache-control", "")
        repeat += 0 if kept else len(body)
        print(f"  {asset:<48} {len(body) / 1024:8.1f} KB  {asset_headers.get('content-encoding', 'identity'):<8} {asset_headers.get('cache-control', '')}")
    print(f"{first / 1024:.1f} {repeat / 1024:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

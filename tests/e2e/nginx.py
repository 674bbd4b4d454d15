"""Debian's nginx with the shipped site config (docs/nginx-erhvervshus.conf) in front of test
servers: only the listen addresses, the certificate and the upstream's servers change."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.conftest import ROOT, _free_port

NGINX = "/usr/sbin/nginx"
SHIPPED = ROOT / "docs" / "nginx-erhvervshus.conf"
UPSTREAM_SERVERS = re.compile(
    r"(upstream erhvervshus \{\n(?:    (?!server ).*\n)*)((?:    server .*\n)+)"
)


def listening(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp, tcp6)."""
    found = set()
    for table, loopback in (("tcp", "0100007F"), ("tcp6", "00000000000000000000000001000000")):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add("loopback" if address == loopback else address)
    return found


def site_config(cert: Path, key: Path, http: int, https: int, upstreams: list[str]) -> str:
    """The shipped config pointed at ``upstreams`` (``host:port``)."""
    servers = "".join(f"    server {u};\n" for u in upstreams)
    site, replaced = UPSTREAM_SERVERS.subn(lambda m: m.group(1) + servers, SHIPPED.read_text())
    site = (
        site.replace("listen 80;", f"listen 127.0.0.1:{http};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
        .replace("/etc/ssl/certs/resultatkontrakt.pem", str(cert))
        .replace("/etc/ssl/private/resultatkontrakt.key", str(key))
    )
    assert replaced == 1 and site.count(str(cert)) == 1, "the shipped config changed shape"
    return site


@contextmanager
def nginx(tmp: Path, upstreams: list[str], extra_server: str = "") -> Iterator[tuple[str, str]]:
    """nginx in front of ``upstreams``; yields the HTTP and HTTPS base URLs.

    ``extra_server``: directives added to the TLS server block (test instrumentation)."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    http, https = _free_port(), _free_port()
    site = site_config(cert, key, http, https, upstreams)
    if extra_server:
        marker = f"listen 127.0.0.1:{https} ssl http2;\n"
        site = site.replace(marker, marker + extra_server + "\n")
    (tmp / "site.conf").write_text(site)
    temp = "".join(
        f"{name}_temp_path {tmp / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp / "nginx.conf").write_text(
        f"user root;\ndaemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}include {tmp / 'site.conf'};\n}}\n"
    )
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")])
    try:
        deadline = time.monotonic() + 20
        while not listening(https) and time.monotonic() < deadline:
            assert proc.poll() is None, (tmp / "error.log").read_text()
            time.sleep(0.1)
        yield f"http://127.0.0.1:{http}", f"https://127.0.0.1:{https}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

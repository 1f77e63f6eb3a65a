#!/usr/bin/python3
"""SCTP traffic for the lab tests (tests/lab/*.sh), stdlib only.

One process makes sockets in several lab namespaces: it setns()es into a
namespace, creates the socket (which stays in that namespace) and moves on.
That keeps the tests fast under TCG, where starting a process is slow.

  sctpkit.py mesh                      24 associations: every directed pair of
                                       A, B, C over IPv4 and IPv6 on both LANs
  sctpkit.py send FROM LADDR TO RADDR N [--capture NS:DEV] [--udp PORT]
                                       N messages on a single-homed association,
                                       prints JSON: delivered, captured packets
  sctpkit.py failover                  multi-homed A->B, LAN1 of A goes down
                                       mid-stream (via scripts/labnet)
Each prints PASS/FAIL lines or JSON and exits non-zero on failure.
"""
import ctypes
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
SCTP_NODELAY = 3
SOL_SCTP = 132
PORT = 5000
HERE = os.path.dirname(os.path.abspath(__file__))
LABNET = os.path.join(HERE, "..", "..", "scripts", "labnet")

_libc = ctypes.CDLL(None, use_errno=True)
_home = os.open("/proc/self/ns/net", os.O_RDONLY)


def setns(name):
    path = "/proc/self/ns/net" if name is None else "/run/netns/" + name
    fd = _home if name is None else os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (name, os.strerror(e)))
    finally:
        if fd != _home:
            os.close(fd)


def sock_in(ns, family, type_=socket.SOCK_STREAM, proto=socket.IPPROTO_SCTP):
    setns(ns)
    try:
        return socket.socket(family, type_, proto)
    finally:
        setns(None)


HOSTS = {"A": 1, "B": 2, "C": 3}


def v4(h, lan):
    return ("198.51.100.%d" if lan == 1 else "203.0.113.%d") % HOSTS[h]


def v6(h, lan):
    return "2001:db8:%d::%d" % (lan, HOSTS[h])


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def result(ok, what):
    print("%s: %s" % ("PASS" if ok else "FAIL", what), flush=True)
    return ok


def listener(ns, port=PORT):
    """An IPv6 one-to-one listener on :: (also takes IPv4 associations)."""
    s = sock_in(ns, socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(64)
    s.settimeout(10)
    return s


def unmap(addr):
    return addr[7:] if addr.startswith("::ffff:") else addr


def cmd_mesh():
    ls = {h: listener(h) for h in HOSTS}
    ok_all = True
    for src in HOSTS:
        for dst in HOSTS:
            if src == dst:
                continue
            for lan in (1, 2):
                for f, addr in (("IPv4", v4), ("IPv6", v6)):
                    la, ra = addr(src, lan), addr(dst, lan)
                    what = "SCTP %s->%s %s LAN%d %s -> %s" % (src, dst, f, lan, la, ra)
                    try:
                        c = sock_in(src, fam(la))
                        c.settimeout(10)
                        c.bind((la, 0))
                        c.connect((ra, PORT))
                        msg = ("hello %s" % what).encode()
                        c.send(msg)
                        s, peer = ls[dst].accept()
                        s.settimeout(10)
                        got = s.recv(1000)
                        s.send(got[::-1])
                        back = c.recv(1000)
                        ok = got == msg and back == msg[::-1] and unmap(peer[0]) == la
                        if not ok:
                            what += " (got %r from %r)" % (got, peer)
                        c.close()
                        s.close()
                    except OSError as e:
                        ok = False
                        what += " (%s)" % e
                    ok_all &= result(ok, what)
    return 0 if ok_all else 1


class Capture:
    """AF_PACKET capture on NS:DEV, counting SCTP packets by first chunk type."""

    def __init__(self, spec, udp_port=None):
        ns, dev = spec.split(":", 1)
        self.s = sock_in(ns, socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.s.bind((dev, 0))
        self.s.setblocking(False)
        self.udp_port = udp_port
        self.chunks = {}     # first chunk type -> packets
        self.udp = 0         # SCTP-over-UDP packets to udp_port
        self.plain = 0       # SCTP packets (IP protocol 132)

    def poll(self):
        while True:
            try:
                pkt = self.s.recv(65535)
            except BlockingIOError:
                return
            self.parse(pkt)

    def parse(self, p):
        if len(p) < 14:
            return
        et = struct.unpack("!H", p[12:14])[0]
        if et == 0x0800:
            ihl = (p[14] & 15) * 4
            proto = p[14 + 9]
            l4 = 14 + ihl
        elif et == 0x86DD:
            proto = p[14 + 6]
            l4 = 14 + 40
        else:
            return
        if proto == 132:
            sctp = l4
            self.plain += 1
        elif proto == 17 and self.udp_port:
            if struct.unpack("!H", p[l4 + 2:l4 + 4])[0] != self.udp_port:
                return
            self.udp += 1
            sctp = l4 + 8
        else:
            return
        if len(p) > sctp + 12:
            t = p[sctp + 12]
            self.chunks[t] = self.chunks.get(t, 0) + 1


def cmd_send(args):
    src, la, dst, ra, n = args[:5]
    n = int(n)
    cap = None
    udp = None
    if "--udp" in args:
        udp = int(args[args.index("--udp") + 1])
    if "--capture" in args:
        cap = Capture(args[args.index("--capture") + 1], udp)
    port = PORT + 1
    ls = listener(dst, port)
    c = sock_in(src, fam(la))
    c.settimeout(20)
    c.setsockopt(SOL_SCTP, SCTP_NODELAY, 1)
    c.bind((la, 0))
    c.connect((ra, port))
    s, peer = ls.accept()
    s.settimeout(20)
    got = []
    t0 = time.time()
    for i in range(n):
        c.send(("msg %d" % i).encode())
        if cap:
            cap.poll()
        time.sleep(0.02)
    deadline = time.time() + 20
    while len(got) < n and time.time() < deadline:
        r, _, _ = select.select([s], [], [], 0.1)
        if cap:
            cap.poll()
        if r:
            m = s.recv(1000)
            if not m:
                break
            got.append(m.decode())
    took = time.time() - t0
    # let the last SACKs and retransmissions pass, then read the capture
    time.sleep(0.3)
    if cap:
        cap.poll()
    out = {
        "sent": n,
        "delivered": len(got),
        "in_order": got == ["msg %d" % i for i in range(n)],
        "seconds": round(took, 3),
        "peer": unmap(peer[0]),
    }
    if cap:
        out["capture"] = {"sctp_packets": cap.plain, "udp_packets": cap.udp,
                          "first_chunk": {str(k): v for k, v in sorted(cap.chunks.items())}}
    c.close()
    s.close()
    print(json.dumps(out), flush=True)
    return 0 if out["delivered"] == n else 1


def remaddr_states(ns):
    """{remote address: state} from /proc/net/sctp/remaddr in namespace ns
    (state 0 inactive, 1 potentially failed, 2 active, 3 unconfirmed)."""
    setns(ns)
    try:
        with open("/proc/net/sctp/remaddr") as f:
            lines = f.read().splitlines()[1:]
    finally:
        setns(None)
    out = {}
    for ln in lines:
        w = ln.split()
        if len(w) >= 8:
            out[w[0]] = int(w[7])
    return out


def assoc_count(ns):
    setns(ns)
    try:
        with open("/proc/net/sctp/assocs") as f:
            return len(f.read().splitlines()) - 1
    finally:
        setns(None)


def labnet(*a):
    subprocess.run([LABNET] + list(a), check=True)


def cmd_failover():
    ok_all = True
    port = PORT + 2
    ls = listener("B", port)
    c = sock_in("A", socket.AF_INET)
    c.settimeout(20)
    c.setsockopt(SOL_SCTP, SCTP_NODELAY, 1)
    c.bind(("0.0.0.0", 0))              # all of A's IPv4 addresses: multi-homed
    c.connect(("198.51.100.2", port))   # primary path: LAN1
    s, peer = ls.accept()
    s.settimeout(1)
    time.sleep(1.5)                     # heartbeats confirm the LAN2 path
    st = remaddr_states("A")
    ok_all &= result(st.get("198.51.100.2") == 2 and st.get("203.0.113.2") in (2, 3),
                     "A knows both of B's addresses, LAN1 path active: %s" % st)
    got = []
    n = 40
    down_at = 10
    t_down = None
    for i in range(n):
        if i == down_at:
            labnet("link", "A", "--lan", "1", "--down")
            t_down = time.time()
        c.send(("msg %d" % i).encode())
        time.sleep(0.05)
        try:
            while True:
                r, _, _ = select.select([s], [], [], 0)
                if not r:
                    break
                got.append(s.recv(1000).decode())
        except OSError:
            pass
    deadline = time.time() + 20
    while len(got) < n and time.time() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            got.append(s.recv(1000).decode())
    t_all = time.time() - t_down
    ok_all &= result(got == ["msg %d" % i for i in range(n)],
                     "all %d messages delivered in order across the failover (%d got, last %.1f s after LAN1 went down)"
                     % (n, len(got), t_all))
    # the LAN1 path is declared failed after path_max_retrans timeouts
    deadline = time.time() + 15
    while time.time() < deadline:
        st = remaddr_states("A")
        if st.get("198.51.100.2") == 0:
            break
        time.sleep(0.5)
    ok_all &= result(st.get("198.51.100.2") == 0 and st.get("203.0.113.2") == 2,
                     "LAN1 path inactive, LAN2 path active: %s" % st)
    ok_all &= result(assoc_count("A") == 1 and assoc_count("B") >= 1,
                     "the association survives (A has %d, B has %d in /proc/net/sctp/assocs)"
                     % (assoc_count("A"), assoc_count("B")))
    setns("A")
    try:
        ss = subprocess.run(["ss", "--sctp", "-i", "-n"], capture_output=True, text=True).stdout
    finally:
        setns(None)
    print(ss.rstrip())
    c.send(b"after")
    try:
        m = s.recv(100)
    except OSError as e:
        m = repr(e).encode()
    ok_all &= result(m == b"after", "a message after the failover arrives (%r)" % m)
    labnet("link", "A", "--lan", "1", "--up")
    deadline = time.time() + 10
    while time.time() < deadline:
        st = remaddr_states("A")
        if st.get("198.51.100.2") == 2:
            break
        time.sleep(0.3)
    ok_all &= result(st.get("198.51.100.2") == 2,
                     "LAN1 path active again after labnet link A --lan 1 --up: %s" % st)
    c.close()
    s.close()
    return 0 if ok_all else 1


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "mesh":
        return cmd_mesh()
    if cmd == "send":
        return cmd_send(args)
    if cmd == "failover":
        return cmd_failover()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())

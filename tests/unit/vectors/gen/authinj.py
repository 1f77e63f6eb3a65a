import socket, struct, time, sys
IPPROTO_SCTP=132; SCTP_AUTH_CHUNK=21; SCTP_HMAC_IDENT=22; SCTP_NODELAY=3
srv=socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SCTP)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 7000))
srv.setsockopt(IPPROTO_SCTP, SCTP_AUTH_CHUNK, bytes([0]))
srv.setsockopt(IPPROTO_SCTP, SCTP_HMAC_IDENT, struct.pack('=IHH', 2, 3, 1))
srv.listen(1)
cli=socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SCTP)
cli.setsockopt(IPPROTO_SCTP, SCTP_AUTH_CHUNK, bytes([0]))
cli.setsockopt(IPPROTO_SCTP, SCTP_NODELAY, struct.pack('=i', 1))
cli.connect(('127.0.0.1', 7000))
a,_=srv.accept()
for i in range(3):
    cli.send(b'client-%d' % i); print('server got', a.recv(100), flush=True)
a.settimeout(4)
try:
    while True:
        m = a.recv(100)
        print('server got', m, flush=True)
        if not m: break
except socket.timeout:
    print('server: timeout', flush=True)
cli.close(); a.close(); srv.close()

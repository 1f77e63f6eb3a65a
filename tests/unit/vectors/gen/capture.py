import socket, struct, time, sys
IPPROTO_SCTP=132
SCTP_AUTH_CHUNK=21; SCTP_HMAC_IDENT=22; SCTP_ENABLE_STREAM_RESET=118
SCTP_RESET_STREAMS=119; SCTP_ADD_STREAMS=121; SCTP_SOCKOPT_BINDX_ADD=100
SCTP_FRAGMENT_INTERLEAVE=18; SCTP_INTERLEAVING_SUPPORTED=125; SCTP_NODELAY=3

def mk(port=0, addr='127.0.0.1'):
    s=socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SCTP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    return s

# association A: AUTH for DATA, server prefers SHA-256, stream reset, add streams, ASCONF
srv=mk(7000)
srv.setsockopt(IPPROTO_SCTP, SCTP_AUTH_CHUNK, bytes([0]))
srv.setsockopt(IPPROTO_SCTP, SCTP_HMAC_IDENT, struct.pack('=IHH', 2, 3, 1))
srv.setsockopt(IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, struct.pack('=iI', 0, 7))
srv.listen(1)
cli=mk(0)
cli.setsockopt(IPPROTO_SCTP, SCTP_AUTH_CHUNK, bytes([0]))
cli.setsockopt(IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, struct.pack('=iI', 0, 7))
cli.setsockopt(IPPROTO_SCTP, SCTP_NODELAY, struct.pack('=i', 1))
cli.connect(('127.0.0.1', 7000))
a,_=srv.accept()
a.setsockopt(IPPROTO_SCTP, SCTP_NODELAY, struct.pack('=i', 1))
for i in range(3):
    cli.send(b'client-%d' % i); a.recv(100)
    a.send(b'server-%d' % i); cli.recv(100)
time.sleep(0.3)
# stream reset (outgoing, all streams) and add streams
try:
    cli.setsockopt(IPPROTO_SCTP, SCTP_RESET_STREAMS, struct.pack('=iHH', 0, 2, 0))
except OSError as e: print('reset', e, file=sys.stderr)
time.sleep(0.3)
try:
    cli.setsockopt(IPPROTO_SCTP, SCTP_ADD_STREAMS, struct.pack('=iHH', 0, 2, 3))
except OSError as e: print('add', e, file=sys.stderr)
time.sleep(0.3)
# ASCONF: add 127.0.0.2 on the client's port
port=cli.getsockname()[1]
sa=struct.pack('=HH4s8x', socket.AF_INET, socket.htons(port), socket.inet_aton('127.0.0.2'))
try:
    cli.setsockopt(IPPROTO_SCTP, SCTP_SOCKOPT_BINDX_ADD, sa)
except OSError as e: print('bindx', e, file=sys.stderr)
time.sleep(0.5)
cli.send(b'after-asconf'); a.recv(100)
time.sleep(0.3)
cli.close(); a.close(); srv.close()
time.sleep(0.3)

# association B: I-DATA (RFC 8260)
srv=mk(7001)
srv.setsockopt(IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, struct.pack('=i', 2))
srv.setsockopt(IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, struct.pack('=iI', 0, 1))
srv.listen(1)
cli=mk(0)
cli.setsockopt(IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, struct.pack('=i', 2))
cli.setsockopt(IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, struct.pack('=iI', 0, 1))
cli.connect(('127.0.0.1', 7001))
a,_=srv.accept()
cli.send(b'x'*3000); 
got=0
while got < 3000: got += len(a.recv(4000))
cli.send(b'small'); a.recv(100)
time.sleep(0.3)
cli.close(); a.close(); srv.close()
time.sleep(0.5)
print('done')

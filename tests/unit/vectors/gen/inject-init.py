import socket, time, sys
IPPROTO_SCTP=132
srv=socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_SCTP)
srv.bind(('127.0.0.1', 5002)); srv.listen(1)
raw=socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_SCTP)
pkt=open('/root/kcap/seeds/sctp-init','rb').read()[1:]
raw.sendto(pkt, ('127.0.0.1', 0))
time.sleep(0.5)
# a corrupted copy must be dropped (no INIT-ACK)
bad=bytearray(pkt); bad[9]^=0xff
raw.sendto(bytes(bad), ('127.0.0.1', 0))
time.sleep(0.5)
print('sent')

